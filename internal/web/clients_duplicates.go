package web

import (
	"fmt"
	"net/http"
	"net/url"
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
	Pairs     []store.DuplicatePair
	Dismissed bool
}

type mergeConfirmPage struct {
	Shell
	Keep, Merge store.DuplicateClient
	Score       string
	Reason      string
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
	p := duplicatesPage{Shell: sh, Dismissed: r.URL.Query().Get("dismissed") == "1"}
	if p.Pairs, err = rq.Site.Store.FindDuplicatePairs(r.Context(), 0); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_duplicates", &p)
}

// findPair returns the listed pair of a and b (in either order).
func findPair(pairs []store.DuplicatePair, a, b string) (store.DuplicatePair, bool) {
	for _, p := range pairs {
		if (p.A.PersonalID == a && p.B.PersonalID == b) || (p.A.PersonalID == b && p.B.PersonalID == a) {
			return p, true
		}
	}
	return store.DuplicatePair{}, false
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
	pairs, err := rq.Site.Store.FindDuplicatePairs(r.Context(), 0)
	if err != nil {
		return err
	}
	pair, ok := findPair(pairs, keep, merge)
	if !ok {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "That pair is not in the duplicates queue (merged, dismissed or no longer alike)."}
	}
	p := mergeConfirmPage{Shell: sh, Score: formatScore(pair.Score), Reason: pair.Reason}
	if pair.A.PersonalID == keep {
		p.Keep, p.Merge = pair.A, pair.B
	} else {
		p.Keep, p.Merge = pair.B, pair.A
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
