package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

func TestWorkflowCommand(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "seed", "--site", "training", "--clients", "5"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "training.db")})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := store.FindRecords[hmis.Project](storeCtx(t), st, store.RecordFilter{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, p := range ps {
		ids[p.ProjectName] = p.ProjectID
	}
	shelter, night := ids["Harbor Light Emergency Shelter"], ids["Harbor Light Night Shelter"]
	if shelter == "" || night == "" {
		t.Fatalf("the demo shelters are missing: %v", ids)
	}

	type element struct {
		ID       string `json:"id"`
		Required bool   `json:"required"`
		AskedOf  string `json:"asked_of"`
	}
	type output struct {
		ProjectID string `json:"project_id"`
		Stage     string `json:"stage"`
		Steps     []struct {
			Name     string    `json:"name"`
			Elements []element `json:"elements"`
		} `json:"steps"`
	}
	derive := func(project, stage string) (output, map[string]element) {
		t.Helper()
		out, stderr, code := hearth(t, vars, "", "workflow", "--site", "training", "--project", project, "--stage", stage, "--json")
		if code != 0 {
			t.Fatalf("workflow %s %s: exit %d: %s", project, stage, code, stderr)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(out)))
		dec.DisallowUnknownFields()
		var o output
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("workflow %s: %v in %s", stage, err, out)
		}
		els := map[string]element{}
		for _, s := range o.Steps {
			if s.Name == "" || s.Elements == nil {
				t.Errorf("step without a name or elements: %s", out)
			}
			for _, e := range s.Elements {
				els[e.ID] = e
			}
		}
		return o, els
	}

	// The ESG shelter (funders 8 ESG and 46 local): intake asks 4.02 of
	// heads of household and adults, each disability separately, 3.917 once.
	o, els := derive(shelter, "intake")
	if o.ProjectID != shelter || o.Stage != "intake" {
		t.Errorf("project_id %q stage %q", o.ProjectID, o.Stage)
	}
	for id, want := range map[string]element{
		"4.02":  {"4.02", true, "hoh_and_adults"},
		"3.917": {"3.917", true, "hoh_and_adults"},
		"4.05":  {"4.05", true, "all_clients"},
		"4.10":  {"4.10", true, "all_clients"},
		"3.16":  {"3.16", true, "hoh"},
		"3.01":  {"3.01", true, "all_clients"},
		"4.21":  {"4.21", true, "all_clients"},
	} {
		if els[id] != want {
			t.Errorf("intake %s: got %+v, want %+v", id, els[id], want)
		}
	}
	if _, ok := els["3.917A"]; ok {
		t.Error("3.917A should be given as 3.917")
	}
	// Exit: exit date and destination, no 4.11 and no record creation.
	_, els = derive(shelter, "exit")
	if _, ok := els["3.12"]; !ok {
		t.Error("exit without 3.12")
	}
	for _, id := range []string{"4.11", "3.01", "3.10"} {
		if _, ok := els[id]; ok {
			t.Errorf("exit asks %s", id)
		}
	}
	// The night-by-night shelter: no income at annual assessment.
	o, els = derive(night, "annual")
	if len(els) != 0 || o.Steps == nil {
		t.Errorf("ES night-by-night annual: %+v", o)
	}
	o, _ = derive(shelter, "post-exit")
	if o.Stage != "post-exit" {
		t.Errorf("stage %q", o.Stage)
	}

	// Text output names the steps.
	out, _, code := hearth(t, vars, "", "workflow", "--site", "training", "--project", shelter, "--stage", "update")
	if code != 0 || !strings.Contains(out, "Income and benefits") || !strings.Contains(out, "4.02   required hoh_and_adults") {
		t.Errorf("text output: %s", out)
	}

	// Mistakes.
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"workflow", "--site", "training", "--project", shelter, "--stage", "entry"}, 2, "--stage must be"},
		{[]string{"workflow", "--site", "training", "--stage", "intake"}, 2, "--project and --stage are required"},
		{[]string{"workflow", "--site", "training", "--project", "nope", "--stage", "intake"}, 1, "Program not found"},
	} {
		_, stderr, code := hearth(t, vars, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d %q, want %d %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
