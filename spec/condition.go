package spec

import (
	"strconv"
	"strings"
)

// Condition is one documented error: a (status, reason) pair with the seed's description.
// Fixture names the target-description key that enables it, when a target needs special
// set-up to produce it ("" means any target with one ordinary account can be made to).
type Condition struct {
	Status      int    `json:"status"`
	Reason      string `json:"reason"`
	Description string `json:"description"`
	Fixture     string `json:"fixture,omitempty"`
}

// ID is the condition's unique name, "<status> <reason>" (reason alone is not unique:
// "required" exists under 400 and 401).
func (c Condition) ID() string { return strconv.Itoa(c.Status) + " " + c.Reason }

// Stage is one step of the precedence: earlier stages answer first.
type Stage struct {
	Name        string      `json:"stage"`
	Description string      `json:"description"`
	Conditions  []Condition `json:"-"`
}

// Condition looks up a catalog entry.
func (d *Document) Condition(status int, reason string) (Condition, bool) {
	for _, c := range d.Conditions {
		if c.Status == status && c.Reason == reason {
			return c, true
		}
	}
	return Condition{}, false
}

func (d *Document) conditionByID(id string) (Condition, bool) {
	code, reason, ok := strings.Cut(id, " ")
	if !ok {
		return Condition{}, false
	}
	status, err := strconv.Atoi(code)
	if err != nil {
		return Condition{}, false
	}
	return d.Condition(status, reason)
}
