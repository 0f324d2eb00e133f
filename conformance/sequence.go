package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"
)

// sequences remembers analytics' current sequence numbers while checks are sent ahead, read
// once per state: a served change at or below an analytic's path forgets its number, so the
// next check reads it anew.
type sequences struct {
	mu    sync.Mutex
	gen   uint64           // bumped by every forget: a read that straddles one is not kept
	known map[string]int64 // by the analytic's read path
	reads singleflight.Group
}

// sequence is an analytic's current sequence number, read through the document's read
// operation unless known for its current state.
func (e *Env) sequence(vals map[string]string) (int64, error) {
	read := e.opFor("analytic", "read")
	if read == nil {
		return 0, fmt.Errorf("the document has no read operation for analytics")
	}
	path := fill(read.Path, vals)
	e.mu.Lock()
	batching := e.batching
	e.mu.Unlock()
	if !batching {
		// Checks that run alone, and those sent again to see what a refusal changed, read
		// afresh: a server may change state while refusing, which no served answer shows.
		return e.readSequence(read.Method, path)
	}
	s := &e.seqs
	s.mu.Lock()
	n, ok := s.known[path]
	gen := s.gen
	s.mu.Unlock()
	if ok {
		return n, nil
	}
	v, err, _ := s.reads.Do(path, func() (any, error) {
		n, err := e.readSequence(read.Method, path)
		if err == nil {
			s.mu.Lock()
			if s.gen == gen {
				if s.known == nil {
					s.known = map[string]int64{}
				}
				s.known[path] = n
			}
			s.mu.Unlock()
		}
		return n, err
	})
	if err != nil {
		return 0, err
	}
	return v.(int64), nil
}

func (e *Env) readSequence(method, path string) (int64, error) {
	ex := e.send(Request{Method: method, Path: path}, e.mainToken(), false)
	if ex.Err != nil || ex.Status != 200 {
		return 0, &stepError{Step: "reading the sequence number", Ex: ex}
	}
	var a struct {
		SequenceNumber string `json:"sequence_number"`
	}
	if err := json.Unmarshal(ex.RespBody, &a); err != nil {
		return 0, fmt.Errorf("reading the sequence number: %v", err)
	}
	return strconv.ParseInt(a.SequenceNumber, 10, 64)
}

// forget drops the numbers a served change may have moved: those of analytics at, under or
// above its path.
func (s *sequences) forget(ex *Exchange) {
	if ex.Status/100 != 2 || ex.Method == http.MethodGet || ex.Method == http.MethodHead {
		return
	}
	u, err := url.Parse(ex.URL)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	for path := range s.known {
		if strings.HasSuffix(u.Path, path) || strings.Contains(u.Path, path+"/") || strings.Contains(path, strings.TrimSuffix(u.Path, "/")+"/") {
			delete(s.known, path)
		}
	}
}
