package store

import (
	"context"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The knowledge base (issue 8, migration 0014_support): short answers
// HMIS administrators write as plain text (paragraphs separated by blank
// lines), every user reads (Support → Help), and replies to tickets can
// link. Saving is audited ("create"/"update", "article").

// Limits of an article.
const (
	MaxArticleTitle = 200
	MaxArticleBody  = 20000
)

// Article is one knowledge base article.
type Article struct {
	ID          string
	Title       string
	Body        string
	AuthorName  string
	DateCreated time.Time
	DateUpdated time.Time
}

// SaveArticle creates an article (a.ID empty) or replaces one's title and
// body; administrators only.
func (s *Store) SaveArticle(ctx context.Context, a Article) (Article, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return Article{}, errNoActor
	}
	if !isSupportAdmin(actor) {
		return Article{}, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators write help articles."}
	}
	a.Title = strings.Join(strings.Fields(a.Title), " ")
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
	fe := hmis.FieldErrors{}
	checkText(fe, "title", a.Title, "Write a title.", MaxArticleTitle)
	checkText(fe, "body", a.Body, "Write the article.", MaxArticleBody)
	if err := fe.Err("The article was not saved."); err != nil {
		return Article{}, err
	}
	err := s.write(ctx, func(tx *Tx) error {
		if a.ID == "" {
			a.ID, a.DateCreated, a.DateUpdated = NewID(), tx.now, tx.now
			if _, err := tx.exec(`INSERT INTO support_articles (id, title, body, author_account_id, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?)`, a.ID, a.Title, a.Body, actor.AccountID, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
			return tx.audit("create", "article", a.ID, "")
		}
		res, err := tx.exec(`UPDATE support_articles SET title = ?, body = ?, date_updated = ? WHERE id = ?`,
			a.Title, a.Body, tx.ts(tx.now), a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Article")
		}
		a.DateUpdated = tx.now
		return tx.audit("update", "article", a.ID, "")
	})
	return a, err
}

const articleSelect = `SELECT ar.id, ar.title, ar.body, a.first_name, a.last_name, a.username, ar.date_created, ar.date_updated
	FROM support_articles ar LEFT JOIN accounts a ON a.id = ar.author_account_id`

func scanArticle(sc rowScanner) (Article, error) {
	var ar Article
	var first, last, username string
	err := sc.Scan(&ar.ID, &ar.Title, &ar.Body, scanString(&first), scanString(&last), scanString(&username),
		scanTime(&ar.DateCreated), scanTime(&ar.DateUpdated))
	ar.AuthorName = personName(first, last, username)
	return ar, err
}

// FindArticles returns every article, by title.
func (s *Store) FindArticles(ctx context.Context) ([]Article, error) {
	var out []Article
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(articleSelect + ` ORDER BY ar.title, ar.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			ar, err := scanArticle(rows)
			if err != nil {
				return err
			}
			out = append(out, ar)
		}
		return rows.Err()
	})
	return out, err
}

// FindArticle returns one article.
func (s *Store) FindArticle(ctx context.Context, id string) (Article, error) {
	var ar Article
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		ar, err = scanArticle(tx.queryRow(articleSelect+` WHERE ar.id = ?`, id))
		return one(err, "Article")
	})
	return ar, err
}
