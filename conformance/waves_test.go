package conformance

import (
	"slices"
	"testing"
)

func TestDeletesGoChildrenFirstAndEachLevelTogether(t *testing.T) {
	del := func(p string) Request { return Request{Method: "DELETE", Path: p} }
	created := []Request{del("/cubes/1"), del("/users/fc1"), del("/cubes/1/analytics/2"), del("/cubes/1/analytics/2/sinks/3"), del("/cubes/7")}
	var got [][]string
	for _, wave := range deleteWaves(created) {
		var paths []string
		for _, r := range wave {
			paths = append(paths, r.Path)
		}
		got = append(got, paths)
	}
	want := [][]string{{"/cubes/1/analytics/2/sinks/3"}, {"/cubes/1/analytics/2"}, {"/cubes/7", "/users/fc1", "/cubes/1"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("delete waves = %q, want %q (deepest first, newest first within a level)", got, want)
	}
}

func TestCreatesGoParentsFirstAndEachLevelTogether(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	waves := e.createWaves()
	made := map[string]bool{}
	for i, wave := range waves {
		for _, op := range wave {
			for _, kind := range paramKinds(op) {
				if !made[kind] {
					t.Errorf("wave %d creates a %s before its parent %s", i, op.Resource, kind)
				}
			}
		}
		for _, op := range wave {
			made[op.Resource] = true
		}
	}
	if len(waves) < 2 || len(waves[0]) < 2 {
		t.Fatalf("waves = %d, the first of %d creates: want parents side by side, then their children", len(waves), len(waves[0]))
	}
}

// The floor's dependent steps: log-ins, a wave of creates per level, the longest chain of any
// one check (however the run schedules them), a wave of deletes per level.
func TestCriticalStepsCountSetUpTheLongestCheckAndCleanUp(t *testing.T) {
	e := referenceEnv(t, "http://127.0.0.1:1")
	waves := e.createWaves()
	none := e.criticalSteps(nil)
	if want := 1 + 2*len(waves); none != want {
		t.Fatalf("with no check, %d steps, want %d (%d levels of creates)", none, want, len(waves))
	}
	ahead := []Case{{Name: "a", Batch: true, Steps: 3}, {Name: "b", Batch: true, Steps: 2}}
	if got := e.criticalSteps(ahead); got != none+3 {
		t.Errorf("checks sent ahead overlap: %d steps, want %d (the longest chain, 3)", got, none+3)
	}
	alone := append(ahead, Case{Name: "c", Steps: 2}, Case{Name: "d", Steps: 4})
	if got := e.criticalSteps(alone); got != none+4 {
		t.Errorf("checks that may run side by side overlap too: %d steps, want %d (the longest, 4)", got, none+4)
	}
	write := Case{Name: "e", Op: "DELETE /cubes/{cube_id}", Isolated: true}
	if got := e.chain(write); got != 4 {
		t.Errorf("a refused delete of an element made for it: chain %d, want 4 (create, read, delete, read)", got)
	}
}
