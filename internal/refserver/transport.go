package refserver

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// transportVariations rewrite how an answer is sent, never what it says.
var transportVariations = []string{"pretty-json", "key-order", "charset", "extra-headers", "connection-close", "gzip", "chunked"}

// variedWriter holds an answer back until the handler is done, then sends it as the
// switched-on transport variations say.
type variedWriter struct {
	http.ResponseWriter
	s      *Server
	gzipOK bool
	status int
	body   bytes.Buffer
}

// transport wraps w when a transport variation is on; finish sends what was held back.
func (s *Server) transport(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, func()) {
	if !slices.ContainsFunc(transportVariations, s.varies) {
		return w, func() {}
	}
	vw := &variedWriter{ResponseWriter: w, s: s, gzipOK: strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")}
	return vw, vw.finish
}

func (w *variedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *variedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

func (w *variedWriter) finish() {
	if w.status == 0 {
		return // nothing was answered (the handler aborted)
	}
	h, s, body := w.Header(), w.s, w.body.Bytes()
	isJSON := strings.HasPrefix(h.Get("Content-Type"), "application/json")
	if isJSON && s.varies("key-order") {
		body = reversedKeys(body)
	}
	if isJSON && s.varies("pretty-json") {
		var b bytes.Buffer
		if json.Indent(&b, body, "", "  ") == nil {
			body = append(b.Bytes(), '\n')
		}
	}
	if isJSON && s.varies("charset") {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if s.varies("extra-headers") {
		h.Set("X-Request-Id", "req-"+strconv.Itoa(w.status))
		h.Set("Cache-Control", "no-store")
		h.Set("Server", "flow-variation")
	}
	if s.varies("connection-close") {
		h.Set("Connection", "close")
	}
	if s.varies("gzip") && w.gzipOK && len(body) > 0 {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = b.Bytes()
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
	}
	h.Del("Content-Length")
	if len(body) > 0 && !s.varies("chunked") {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.ResponseWriter.WriteHeader(w.status)
	if len(body) > 0 {
		_, _ = w.ResponseWriter.Write(body)
		if s.varies("chunked") {
			w.ResponseWriter.(http.Flusher).Flush() // a flushed answer without a length goes chunked
		}
	}
}

// reversedKeys re-encodes a JSON document with each object's members in reverse
// alphabetical order; a body that is not JSON is left as it is.
func reversedKeys(body []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return body
	}
	var b bytes.Buffer
	writeReversed(&b, v)
	return b.Bytes()
}

func writeReversed(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Sort(sort.Reverse(sort.StringSlice(keys)))
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			name, _ := json.Marshal(k)
			b.Write(name)
			b.WriteByte(':')
			writeReversed(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeReversed(b, x)
		}
		b.WriteByte(']')
	default:
		data, _ := json.Marshal(t)
		b.Write(data)
	}
}
