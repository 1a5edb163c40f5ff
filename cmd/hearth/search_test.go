package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

func TestSearchCommand(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "seed", "--site", "training", "--clients", "40"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	// Pick a seeded client with a name and a DOB.
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "training.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := store.FindRecords[hmis.Client](storeCtx(t), st, store.RecordFilter{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var c hmis.Client
	for _, x := range cs {
		if x.FirstName != "" && x.LastName != "" && !x.DOB.IsZero() {
			c = x
			break
		}
	}
	if c.PersonalID == "" {
		t.Fatal("no seeded client with a name and a DOB")
	}

	type result struct {
		PersonalID string  `json:"personal_id"`
		FirstName  string  `json:"first_name"`
		LastName   string  `json:"last_name"`
		DOB        string  `json:"dob"`
		Score      float64 `json:"score"`
		Reason     string  `json:"reason"`
	}
	search := func(args ...string) []result {
		t.Helper()
		out, stderr, code := hearth(t, vars, "", append([]string{"search", "--site", "training"}, args...)...)
		if code != 0 {
			t.Fatalf("search %v: exit %d: %s", args, code, stderr)
		}
		var rs []result
		if err := json.Unmarshal([]byte(out), &rs); err != nil || rs == nil {
			t.Fatalf("search %v: not a JSON array: %q (%v)", args, out, err)
		}
		// Exactly these keys.
		var raw []map[string]any
		json.Unmarshal([]byte(out), &raw)
		for _, r := range raw {
			if len(r) != 6 {
				t.Errorf("result has keys %v", r)
			}
		}
		return rs
	}

	// The last name with a typo (transposed letters), first name, DOB day/month as typed.
	last := []byte(strings.ToLower(c.LastName))
	if len(last) > 3 {
		last[1], last[2] = last[2], last[1]
	}
	text := c.LastName + ", " + c.FirstName + " " + c.DOB.Format("1/2/2006")
	rs := search("--json", text)
	if len(rs) == 0 || rs[0].PersonalID != c.PersonalID || rs[0].Score <= 0 || rs[0].Score > 1 || rs[0].Reason == "" ||
		rs[0].DOB != c.DOB.String() || rs[0].FirstName != c.FirstName {
		t.Errorf("search %q: %+v, want %s first", text, rs, c.PersonalID)
	}
	rs = search("--limit", "2", "--json", c.FirstName, string(last), c.DOB.String())
	if len(rs) == 0 || len(rs) > 2 || rs[0].PersonalID != c.PersonalID {
		t.Errorf("typo search: %+v", rs)
	}
	for i := 1; i < len(rs); i++ {
		if rs[i].Score > rs[i-1].Score {
			t.Errorf("not best first: %+v", rs)
		}
	}
	// No match: [] and exit 0; hostile and huge input too.
	for _, text := range []string{"Zzyzx Qwxvbn", "'; DROP TABLE clients; -- <b>", strings.Repeat("é<>'\"%_", 1500), "!!!"} {
		if rs := search("--json", text); len(rs) != 0 {
			t.Errorf("search %.20q: %+v, want []", text, rs)
		}
	}
	out, _, _ := hearth(t, vars, "", "search", "--site", "training", "--json", "Zzyzx")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("no match printed %q, want []", out)
	}
	// --json may follow the text.
	if rs := search(text, "--json"); len(rs) == 0 {
		t.Error("--json after the text")
	}
	// An empty search is a usage error that says what to type.
	_, stderr, code := hearth(t, vars, "", "search", "--site", "training", "--json", "  ")
	if code != 2 || !strings.Contains(stderr, "a name in any order") {
		t.Errorf("empty search: exit %d, %q", code, stderr)
	}
}
