package demo_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestPopulate_HelpArticles: a new demo site has the knowledge base, and
// a second run does not add it twice.
func TestPopulate_HelpArticles(t *testing.T) {
	s := storetest.OpenSQLite(t)
	populate(t, s, 0, 1)
	populate(t, s, 0, 2)
	arts, err := s.FindArticles(storetest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 3 || arts[0].Title != "Asking for help without sharing client PII" {
		t.Fatalf("%d articles, first %+v", len(arts), arts)
	}
}
