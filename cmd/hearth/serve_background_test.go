package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// TestRefreshDuplicates: the server's background round computes the
// duplicates queue of a site whose clients changed, and stops with its
// context.
func TestRefreshDuplicates(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	if err := cfg.LoadSites(); err != nil {
		t.Fatal(err)
	}
	reg, err := sites.Open(t.Context(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	live, _ := reg.Get("live")
	ctx := storeCtx(t)
	for _, id := range []string{"a1", "a2"} {
		c := hmis.Client{PersonalID: id, FirstName: "Maria", LastName: "Garcia", SSN: "123456789", DOB: hmis.MustDate("1980-02-03"),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
			DOBDataQuality: new(hud.DOBDataQuality(1))}
		if err := store.CreateRecord(ctx, live.Store, &c); err != nil {
			t.Fatal(err)
		}
	}
	bg, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); refreshDuplicates(bg, reg, slog.New(slog.DiscardHandler), 0) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		stale, err := live.Store.DuplicatePairsStale(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !stale {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background round never computed the queue")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	q, err := live.Store.FindDuplicatePairs(ctx, 0, 0)
	if err != nil || q.Total != 1 || q.Pairs[0].A.PersonalID != "a1" || q.ComputedAt.IsZero() {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	es, err := live.Store.FindAudit(ctx, store.AuditFilter{Action: "duplicates.refresh"})
	if err != nil || len(es) != 1 || es[0].Actor != "system(duplicates)" {
		t.Errorf("audit = %+v, %v", es, err)
	}
}
