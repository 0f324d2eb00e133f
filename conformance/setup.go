package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// stepError is a set-up step that did not give the run what it needs: refused, unusable,
// or unanswered. Its text is one line: the step, the request, what came back.
type stepError struct {
	Step string    // `log-in as "<user>"`, "creating a <kind>"
	Ex   *Exchange // the request and its answer
	What string    // when the answer was a success the run cannot use
}

func (s *stepError) Error() string {
	req := s.Ex.Method + " " + pathOf(s.Ex.URL)
	switch {
	case s.Ex.Err != nil:
		return fmt.Sprintf("%s (%s) got no answer: %v", s.Step, req, s.Ex.Err)
	case s.What != "":
		return fmt.Sprintf("%s (%s) answered %d %s", s.Step, req, s.Ex.Status, s.What)
	}
	return fmt.Sprintf("%s (%s) was refused: %s", s.Step, req, answerLine(s.Ex))
}

func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		return u.EscapedPath()
	}
	return raw
}

// answerLine is an answer in a few words: the status and, from an error envelope, its
// reason and message; else its Content-Type and the start of its body.
func answerLine(ex *Exchange) string {
	var env struct {
		Error struct {
			Reason  string `json:"reason"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(ex.RespBody, &env) == nil && env.Error.Reason != "" {
		return fmt.Sprintf("%d %s %s", ex.Status, env.Error.Reason, strconv.Quote(env.Error.Message))
	}
	body := strings.Join(strings.Fields(string(ex.RespBody)), " ")
	if len(body) > 80 {
		body = body[:80] + "…"
	}
	return fmt.Sprintf("%d (%s) %s", ex.Status, ex.RespHeader.Get("Content-Type"), strconv.Quote(body))
}

// failSetup stops a spec (or the set-up) on a step that did not work: a step the target
// did not answer is the run's "no answer" (errored); one it answered has a status of its
// own (set-up refused), never a failed check: the contract says nothing about it, and the
// passive check has already judged the answer's envelope.
func (e *Env) failSetup(prefix string, err error) {
	var se *stepError
	rec := e.note()
	if errors.As(err, &se) && se.Ex.Err != nil {
		rec.Errored = true
	} else {
		rec.SetUp = true
	}
	msg := prefix + e.Secrets.Redact(err.Error())
	rec.fails(msg)
	raise(msg)
}
