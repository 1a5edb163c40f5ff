package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Duplicates (issue 4 item 8), Clients tab, administrators only: the
// queue of likely duplicate pairs across the site, merging one record of
// a pair into the other (after a confirmation page), "not a duplicate",
// and the list of past merges with Undo. The store does the work and the
// audit (store/duplicates.go); everyone but an administrator gets 404.

const (
	duplicatesPath = "clients/duplicates"
	mergesPath     = "clients/merges"
)

type duplicatesPage struct {
	Shell
	Pairs      []store.DuplicatePair
	Total      int
	Computed   string // when the queue was computed, "" never
	Stale      bool   // clients changed since
	Recomputed string // flash: "N pairs"
	Dismissed  bool
	From, To   int    // the rows shown, 1-based
	Prev, Next string // page links, "" when none
}

type mergeConfirmPage struct {
	Shell
	Keep, Merge store.DuplicateClient
	Score       string
	Reason      string
	Releases    []store.Release // the merged record's releases: they will cover the kept record
	Fills       []string        // the kept record's empty fields the merge fills from the merged one
}

type mergesPage struct {
	Shell
	Merges       []store.ClientMerge
	Merged, Undo string // flash: a merge done, a merge undone
}

func (s *Server) duplicates(w http.ResponseWriter, r *http.Request, rq *request) error {
	sh, err := s.shell(r, rq, "clients", rq.base()+"/"+duplicatesPath, "Duplicates")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := duplicatesPage{Shell: sh, Dismissed: q.Get("dismissed") == "1", Recomputed: clip(q.Get("recomputed"), 12)}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	const per = store.DefaultDuplicateLimit
	st := rq.Site.Store
	dq, err := st.FindDuplicatePairs(r.Context(), per, (page-1)*per)
	if err != nil {
		return err
	}
	p.Pairs, p.Total = dq.Pairs, dq.Total
	if !dq.ComputedAt.IsZero() {
		p.Computed = datetime(dq.ComputedAt)
	}
	if p.Stale, err = st.DuplicatePairsStale(r.Context()); err != nil {
		return err
	}
	if len(p.Pairs) > 0 {
		p.From, p.To = (page-1)*per+1, (page-1)*per+len(p.Pairs)
	}
	link := func(n int) string { return rq.base() + "/" + duplicatesPath + "?page=" + strconv.Itoa(n) }
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page*per < p.Total {
		p.Next = link(page + 1)
	}
	return s.render(w, r, http.StatusOK, "client_duplicates", &p)
}

// recomputeDuplicates runs the pair computation now (it also runs in the
// background: hearth serve, after imports) and shows the queue.
func (s *Server) recomputeDuplicates(w http.ResponseWriter, r *http.Request, rq *request) error {
	n, err := rq.Site.Store.RefreshDuplicatePairs(r.Context())
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+duplicatesPath+"?recomputed="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

// mergeConfirm is the confirmation step: the pair, which record is kept,
// a reason, and the button that merges.
func (s *Server) mergeConfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	keep, merge := strings.TrimSpace(q.Get("keep")), strings.TrimSpace(q.Get("merge"))
	sh, err := s.shell(r, rq, "clients", rq.base()+"/"+duplicatesPath, "Merge Clients")
	if err != nil {
		return err
	}
	pair, err := rq.Site.Store.FindDuplicatePair(r.Context(), keep, merge)
	if err != nil {
		return err
	}
	p := mergeConfirmPage{Shell: sh, Score: formatScore(pair.Score), Reason: pair.Reason}
	if pair.A.PersonalID == keep {
		p.Keep, p.Merge = pair.A, pair.B
	} else {
		p.Keep, p.Merge = pair.B, pair.A
	}
	// A merge moves the merged record's releases to the kept one, which
	// widens who sees the kept record's older data: the page says so.
	if p.Releases, err = rq.Site.Store.ClientReleases(r.Context(), p.Merge.PersonalID); err != nil {
		return err
	}
	if p.Fills, err = rq.Site.Store.MergeFills(r.Context(), p.Keep.PersonalID, p.Merge.PersonalID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_merge_confirm", &p)
}

func formatScore(f float64) string { return fmt.Sprintf("%.2f", f) }

func (s *Server) mergeClients(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	if r.PostForm.Get("confirm") != "1" {
		v := url.Values{"keep": {r.PostForm.Get("keep")}, "merge": {r.PostForm.Get("merge")}}
		http.Redirect(w, r, rq.base()+"/"+duplicatesPath+"/confirm?"+v.Encode(), http.StatusSeeOther)
		return nil
	}
	m, err := rq.Site.Store.MergeClients(r.Context(), r.PostForm.Get("keep"), r.PostForm.Get("merge"), r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+mergesPath+"?merged="+url.QueryEscape(m.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) dismissDuplicate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	if err := rq.Site.Store.DismissDuplicatePair(r.Context(), r.PostForm.Get("a"), r.PostForm.Get("b")); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+duplicatesPath+"?dismissed=1", http.StatusSeeOther)
	return nil
}

func (s *Server) merges(w http.ResponseWriter, r *http.Request, rq *request) error {
	sh, err := s.shell(r, rq, "clients", rq.base()+"/"+mergesPath, "Merges")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := mergesPage{Shell: sh, Merged: q.Get("merged"), Undo: q.Get("undone")}
	if p.Merges, err = rq.Site.Store.ListMerges(r.Context(), 0); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_merges", &p)
}

func (s *Server) undoMerge(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if err := rq.Site.Store.UndoMerge(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+mergesPath+"?undone="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}
