package refserver

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	loadWorkers  = 8
	loadDuration = time.Second // per server: the reference server, then a bare handler
)

// loadReq is one kind of request of the mix, and the answer it must get ("" reason: 200).
type loadReq struct {
	method, path, body, auth, version string
	status                            int
	reason                            string
}

// loader sends requests from several goroutines and checks each answer against the document.
type loader struct {
	t      *testing.T
	h      *harness
	client *http.Client
	sent   atomic.Int64
	errs   atomic.Int64
	mu     sync.Mutex
	seen   []answer // checked after the timed run, so that checking does not slow it
}

type answer struct {
	r      loadReq
	out    resp
	status int
	reason string
}

func (l *loader) send(base string, r loadReq) resp {
	hr, _ := http.NewRequest(r.method, base+r.path, strings.NewReader(r.body))
	if r.version != "none" {
		hr.Header.Set("Accept-Version", l.h.doc.Version)
	}
	if r.auth == "" {
		r.auth = bearer(l.h.admin)
	}
	hr.Header.Set("Authorization", r.auth)
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	l.sent.Add(1)
	res, err := l.client.Do(hr)
	if err != nil {
		l.fail("%s %s: %v", r.method, r.path, err)
		return resp{}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		l.fail("%s %s: %v", r.method, r.path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: body, req: hr}
}

// fail reports the first few problems only: under load one bug repeats thousands of times.
func (l *loader) fail(format string, args ...any) {
	if l.errs.Add(1) <= 5 {
		l.t.Errorf(format, args...)
	}
}

// expect records the answer a request must get ("" reason: 200).
func (l *loader) expect(r loadReq, out resp, status int, reason string) {
	if out.req == nil {
		return
	}
	l.mu.Lock()
	l.seen = append(l.seen, answer{r, out, status, reason})
	l.mu.Unlock()
}

// check: every answer documented, in the document's shape, and the one its request must get.
func (l *loader) check() {
	for _, a := range l.seen {
		validateResponse(l.t, l.h.doc, a.out)
		if why := documented(l.h.doc, a.out); why != "" {
			l.fail("%s %s -> %d %s: %s", a.r.method, a.r.path, a.out.status, a.out.body, why)
		} else if a.out.status != a.status || (a.reason != "" && conforms(a.status, a.reason, a.out) != "") {
			l.fail("%s %s -> %d %s, want %d %s", a.r.method, a.r.path, a.out.status, a.out.body, a.status, a.reason)
		}
	}
}

// run calls one from loadWorkers goroutines for loadDuration.
func (l *loader) run(one func(worker, i int)) {
	var wg sync.WaitGroup
	stop := time.Now().Add(loadDuration)
	for w := 0; w < loadWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				one(w, i)
			}
		}()
	}
	wg.Wait()
}

// Under concurrent valid and invalid requests the reference server answers every one
// within the contract and loses or doubles no write: the analytic's sequence number ends
// exactly where the accepted updates say. Its throughput is logged next to a bare handler's.
func TestReferenceServerUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a fixed-time load run")
	}
	h := start(t, Options{})
	h.must(req{method: "POST", path: "/cubes", body: `{"id":4242,"name":"load"}`})
	h.must(req{method: "POST", path: "/cubes/4242/analytics", body: `{"id":4243,"name":"load"}`})
	const analytic = "/cubes/4242/analytics/4243"
	tr := &http.Transport{MaxIdleConnsPerHost: loadWorkers}
	defer tr.CloseIdleConnections()
	l := &loader{t: t, h: h, client: &http.Client{Transport: tr, Timeout: 5 * time.Second}}
	seq := func() int64 {
		out := l.send(h.run.URL, loadReq{method: "GET", path: analytic})
		var a struct {
			SequenceNumber string `json:"sequence_number"`
		}
		_ = json.Unmarshal(out.body, &a)
		n, err := strconv.ParseInt(a.SequenceNumber, 10, 64)
		if err != nil {
			l.fail("reading the sequence number: %d %s", out.status, out.body)
		}
		return n
	}
	mix := []loadReq{
		{method: "GET", path: "/block_info", status: 200},
		{method: "PUT", path: analytic, body: `{"name":"x","sequence_number":"0"}`, status: 409, reason: "outdated_sequence_number"},
		{method: "GET", path: "/cubes", auth: "Bearer nope", status: 401, reason: "invalid_bearer_token"},
		{method: "GET", path: "/cubes", version: "none", status: 400, reason: "api_version_mismatch"},
		{method: "POST", path: "/cubes", body: "{", status: 400, reason: "parse_error"},
		{method: "GET", path: "/cubes/999999", status: 404, reason: "not_found"},
		{method: "PUT", path: analytic, body: `{"name":"x","sequence_number":1}`, status: 400, reason: "sequence_number_format_error"},
	}
	start := seq()
	var accepted atomic.Int64
	l.run(func(w, i int) {
		if i%2 == 1 { // an update racing the other workers': 200, or 409 when another won
			next := strconv.FormatInt(seq()+1, 10)
			r := loadReq{method: "PUT", path: analytic, body: `{"name":"w` + strconv.Itoa(w) + `","sequence_number":"` + next + `"}`}
			out := l.send(h.run.URL, r)
			if out.status == 200 {
				accepted.Add(1)
				l.expect(r, out, 200, "")
			} else {
				l.expect(r, out, 409, "outdated_sequence_number")
			}
			return
		}
		r := mix[(i/2+w)%len(mix)]
		l.expect(r, l.send(h.run.URL, r), r.status, r.reason)
	})
	refSent := l.sent.Load()
	l.check()
	if end := seq(); end != start+accepted.Load() {
		t.Errorf("sequence number %d after %d accepted updates from %d: writes were lost or doubled", end, accepted.Load(), start)
	}

	// The floor: a bare net/http handler answering a small JSON body, same client, same workers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name":"bare"}`))
	})}
	go func() { _ = bare.Serve(ln) }()
	defer bare.Close()
	l.sent.Store(0)
	l.run(func(int, int) { l.send("http://"+ln.Addr().String(), loadReq{method: "GET", path: "/"}) })
	bareSent := l.sent.Load()

	t.Logf("reference server: %d requests in %s (%d accepted updates, %d workers), %.0f req/s; bare net/http handler: %.0f req/s; ratio %.2f",
		refSent, loadDuration, accepted.Load(), loadWorkers, float64(refSent)/loadDuration.Seconds(),
		float64(bareSent)/loadDuration.Seconds(), float64(bareSent)/float64(max(refSent, 1)))
}
