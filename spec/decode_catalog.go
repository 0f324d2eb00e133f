package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// catalogEntry is one x-flow-conditions entry: description and fixture may be left to the seed.
type catalogEntry struct {
	Status      int     `json:"status"`
	Reason      string  `json:"reason"`
	Description string  `json:"description"`
	Fixture     *string `json:"fixture"`
}

// decodeCatalog: the seed's conditions, unless x-flow-conditions narrows or annotates them.
func (d *Document) decodeCatalog() error {
	var entries []catalogEntry
	ok, err := ext(d.T.Extensions, ExtConditions, &entries)
	if err != nil {
		return fmt.Errorf("%s: malformed (%v)", ExtConditions, err)
	}
	if !ok {
		d.Conditions = SeedCatalog()
		d.addFact(FactConditions, strconv.Itoa(len(d.Conditions))+" conditions", SeedDefault, "the seed's error reference (built in)")
		return nil
	}
	seen := map[string]bool{}
	for _, e := range entries {
		c, err := catalogCondition(e)
		if err != nil {
			return err
		}
		if seen[c.ID()] {
			return fmt.Errorf("%s: %q listed twice", ExtConditions, c.ID())
		}
		seen[c.ID()] = true
		d.Conditions = append(d.Conditions, c)
	}
	d.addFact(FactConditions, strconv.Itoa(len(d.Conditions))+" conditions", Declared, ExtConditions)
	return nil
}

// catalogCondition completes an entry from the seed: what the entry leaves out, the seed says.
func catalogCondition(e catalogEntry) (Condition, error) {
	c := Condition{Status: e.Status, Reason: e.Reason, Description: e.Description}
	seed, inSeed := seedCondition(e.Status, e.Reason)
	if c.Description == "" {
		c.Description = seed.Description
	}
	c.Fixture = seed.Fixture
	if e.Fixture != nil {
		c.Fixture = *e.Fixture
	}
	if c.Status < 100 || c.Status > 599 || c.Reason == "" || (c.Description == "" && !inSeed) {
		return c, fmt.Errorf("%s: entry %q needs a status, a reason and, when the seed lacks it, a description", ExtConditions, c.ID())
	}
	return c, nil
}

type precedenceEntry struct {
	Stage       string   `json:"stage"`
	Description string   `json:"description"`
	Conditions  []string `json:"conditions"`
}

// decodePrecedence: x-flow-precedence, or the default order over the catalog's conditions.
func (d *Document) decodePrecedence() error {
	var stages []precedenceEntry
	ok, err := ext(d.T.Extensions, ExtPrecedence, &stages)
	if err != nil {
		return fmt.Errorf("%s: malformed (%v)", ExtPrecedence, err)
	}
	if !ok {
		d.Precedence = d.defaultStages()
		d.addFact(FactPrecedence, stageNames(d.Precedence), SeedDefault,
			"the seed's 403 forbidden before 404 not_found; the rest flowconform's default order (docs/inference.md)")
		return nil
	}
	placed := map[string]bool{}
	for _, s := range stages {
		st := Stage{Name: s.Stage, Description: s.Description}
		for _, id := range s.Conditions {
			c, ok := d.conditionByID(id)
			if !ok && d.narrowedOut(id) {
				continue
			} else if !ok {
				return fmt.Errorf("%s: stage %q names %q, which neither the catalog nor the seed has", ExtPrecedence, s.Stage, id)
			}
			placed[id] = true
			st.Conditions = append(st.Conditions, c)
		}
		d.Precedence = append(d.Precedence, st)
	}
	for _, c := range d.Conditions {
		if !placed[c.ID()] {
			return fmt.Errorf("%s: condition %q is in no stage", ExtPrecedence, c.ID())
		}
	}
	d.addFact(FactPrecedence, stageNames(d.Precedence), Declared, ExtPrecedence)
	return nil
}

// defaultStages: the default order, keeping the catalog's conditions; one the default does
// not place joins the state stage. A stage left without conditions stays: a server still
// checks in that order.
func (d *Document) defaultStages() []Stage {
	var out []Stage
	for _, s := range defaultPrecedence {
		st := Stage{Name: s.name, Description: s.description}
		for _, id := range s.conditions {
			if c, ok := d.conditionByID(id); ok {
				st.Conditions = append(st.Conditions, c)
			}
		}
		if s.name == stateStage {
			for _, c := range d.Conditions {
				if _, inSeed := seedCondition(c.Status, c.Reason); !inSeed {
					st.Conditions = append(st.Conditions, c)
				}
			}
		}
		out = append(out, st)
	}
	return out
}

func stageNames(stages []Stage) string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// narrowedOut: a seed condition the document's x-flow-conditions left out; naming it
// elsewhere is no error, it is not checked.
func (d *Document) narrowedOut(id string) bool {
	for _, c := range seedCatalog {
		if c.ID() == id {
			_, in := d.conditionByID(id)
			return !in
		}
	}
	return false
}
