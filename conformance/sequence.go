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

	"github.com/flowconform/flowconform/spec"
)

// sequences remembers elements' current sequence numbers while checks are sent ahead, read
// once per state: a served change at or below an element's path forgets its number, so the
// next check reads it anew.
type sequences struct {
	mu    sync.Mutex
	gen   uint64           // bumped by every forget: a read that straddles one is not kept
	known map[string]int64 // by the element's read path
	reads singleflight.Group
}

// sequence is the current sequence number of the element op acts on or under, read through
// the document's read operation whose answer carries it (Operation.SequenceProperty),
// unless known for its current state.
func (e *Env) sequence(op *spec.Operation, vals map[string]string) (int64, error) {
	read := sequenceRead(e.Doc, op)
	if read == nil {
		return 0, fmt.Errorf("%s sends a sequence number, and the document names no read of %s or of an element above it whose answer carries one (x-flow-sequence on its answer's property)", op, op.Path)
	}
	path := fill(read.Path, vals)
	if !e.ahead {
		// Checks that run alone, and those sent again to see what a refusal changed, read
		// afresh: a server may change state while refusing, which no served answer shows.
		return e.readSequence(read, path)
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
		n, err := e.readSequence(read, path)
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

// sequenceRead is the read, at op's path or the longest one above it, whose answer carries
// the current sequence number; nil when there is none.
func sequenceRead(d *spec.Document, op *spec.Operation) *spec.Operation {
	var best *spec.Operation
	for _, o := range d.Operations {
		if o.SequenceProperty == "" || (o.Path != op.Path && !strings.HasPrefix(op.Path, o.Path+"/")) {
			continue
		}
		if best == nil || len(o.Path) > len(best.Path) {
			best = o
		}
	}
	return best
}

// sequenceKind names the element whose sequence number op sends.
func sequenceKind(d *spec.Document, op *spec.Operation) string {
	if read := sequenceRead(d, op); read != nil && read.Resource != "" {
		return read.Resource
	}
	return "element"
}

func (e *Env) readSequence(read *spec.Operation, path string) (int64, error) {
	ex := e.send(Request{Method: read.Method, Path: path}, e.mainToken(), false)
	if !succeeded(ex) {
		return 0, &stepError{Step: "reading the sequence number", Ex: ex}
	}
	var answer map[string]any
	if err := json.Unmarshal(ex.RespBody, &answer); err != nil {
		return 0, fmt.Errorf("reading the sequence number: %v", err)
	}
	switch v := answer[read.SequenceProperty].(type) {
	case string:
		return strconv.ParseInt(v, 10, 64)
	case float64:
		return int64(v), nil
	}
	return 0, fmt.Errorf("reading the sequence number: %s %s answered no %s", read.Method, path, read.SequenceProperty)
}

// forget drops the numbers a served change may have moved: those of elements at, under or
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
