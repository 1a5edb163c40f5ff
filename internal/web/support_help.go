package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/store"
)

// Support → Help: the knowledge base. Every user reads the articles;
// HMIS administrators write and edit them (plain text, paragraphs
// separated by blank lines) and link them from replies to tickets.

type helpIndexPage struct {
	Shell
	Admin    bool
	Articles []articleRow
	NewHref  string
}

type articleRow struct {
	store.Article
	Href, EditHref, Updated string
	Paragraphs              []string
}

func articleRowOf(rq *request, a store.Article) articleRow {
	href := rq.base() + "/" + helpPath + "/" + a.ID
	return articleRow{Article: a, Href: href, EditHref: href + "/edit", Updated: datetime(a.DateUpdated), Paragraphs: paragraphs(a.Body)}
}

func (s *Server) helpIndex(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := rq.Site.Store.FindArticles(r.Context())
	if err != nil {
		return err
	}
	p := helpIndexPage{Admin: isDesk(rq), NewHref: rq.base() + "/" + helpPath + "/new"}
	for _, a := range list {
		p.Articles = append(p.Articles, articleRowOf(rq, a))
	}
	if p.Shell, err = s.shell(r, rq, "support", rq.base()+"/"+helpPath, "Help"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "support_help", &p)
}

type helpArticlePage struct {
	Shell
	A        articleRow
	Admin    bool
	Saved    bool
	HelpHref string
}

func (s *Server) helpArticle(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := rq.Site.Store.FindArticle(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := helpArticlePage{A: articleRowOf(rq, a), Admin: isDesk(rq), Saved: r.URL.Query().Get("saved") != "",
		HelpHref: rq.base() + "/" + helpPath}
	if p.Shell, err = s.shell(r, rq, "support", p.HelpHref, a.Title); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "support_article", &p)
}

type articleFormPage struct {
	Shell
	Heading string
	Action  string
	Cancel  string
	Values  map[string]string
	Errors  map[string]string
	Error   string
}

// articleForm is the form for a new article, or for editing one ({id}).
func (s *Server) articleForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	values := map[string]string{}
	if id := r.PathValue("id"); id != "" {
		a, err := rq.Site.Store.FindArticle(r.Context(), id)
		if err != nil {
			return err
		}
		values["title"], values["body"] = a.Title, a.Body
	}
	return s.renderArticleForm(w, r, rq, http.StatusOK, values, map[string]string{})
}

func (s *Server) renderArticleForm(w http.ResponseWriter, r *http.Request, rq *request, status int, values, errs map[string]string) error {
	id := r.PathValue("id")
	values = withKeys(values, "title", "body")
	p := articleFormPage{Heading: "Write a help article", Action: rq.base() + "/" + helpPath + "/new",
		Cancel: rq.base() + "/" + helpPath, Values: values, Errors: errs}
	if id != "" {
		p.Heading = "Edit a help article"
		p.Cancel = rq.base() + "/" + helpPath + "/" + id
		p.Action = p.Cancel + "/edit"
	}
	if len(errs) > 0 {
		p.Error = "The article was not saved: correct the fields marked below."
	}
	var err error
	if p.Shell, err = s.shell(r, rq, "support", rq.base()+"/"+helpPath, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, status, "support_article_edit", &p)
}

func (s *Server) saveArticle(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := formValues(r, store.MaxArticleBody+100, "title", "body")
	if err != nil {
		return err
	}
	a, err := rq.Site.Store.SaveArticle(r.Context(), store.Article{ID: r.PathValue("id"), Title: v["title"], Body: v["body"]})
	if errs, ok := invalidFields(err); ok {
		return s.renderArticleForm(w, r, rq, http.StatusUnprocessableEntity, v, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+helpPath+"/"+a.ID+"?saved=1", http.StatusSeeOther)
	return nil
}
