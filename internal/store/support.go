package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Support (issue 8, migration 0014_support): any user files a ticket with
// the HMIS administrators; administrators (role admin) work a queue of
// every ticket of the site: assign, reply, add internal notes, change the
// status, escalate to the vendor. A user sees only the tickets they filed;
// any other ticket is "not found", like a client they may not see.
// Tickets are not client data, so the access package has no say here:
// the rule is the filer or an administrator (ticketScope).
//
// Every write and every opening of a ticket is audited (entity "ticket").
// A reply notifies the other side (notifications.go).

// TicketStatus is where a ticket stands.
type TicketStatus string

const (
	TicketOpen      TicketStatus = "open"
	TicketWaiting   TicketStatus = "waiting"   // waiting on the user
	TicketEscalated TicketStatus = "escalated" // escalated to the vendor, with its reference
	TicketResolved  TicketStatus = "resolved"
)

// TicketStatuses lists the statuses in the order a ticket moves through them.
var TicketStatuses = []TicketStatus{TicketOpen, TicketWaiting, TicketEscalated, TicketResolved}

// Label is the status as users read it.
func (s TicketStatus) Label() string {
	switch s {
	case TicketOpen:
		return "Open"
	case TicketWaiting:
		return "Waiting on you"
	case TicketEscalated:
		return "Escalated to vendor"
	case TicketResolved:
		return "Resolved"
	}
	return string(s)
}

// AdminLabel is the status as administrators read it.
func (s TicketStatus) AdminLabel() string {
	if s == TicketWaiting {
		return "Waiting on user"
	}
	return s.Label()
}

// TicketCategory is what a ticket is about.
type TicketCategory string

const (
	TicketQuestion       TicketCategory = "question"
	TicketDataCorrection TicketCategory = "data_correction"
	TicketAccessRequest  TicketCategory = "access_request"
	TicketBug            TicketCategory = "bug"
)

// TicketCategories lists the categories.
var TicketCategories = []TicketCategory{TicketQuestion, TicketDataCorrection, TicketAccessRequest, TicketBug}

// Label is the category as users read it.
func (c TicketCategory) Label() string {
	switch c {
	case TicketQuestion:
		return "Question"
	case TicketDataCorrection:
		return "Data correction"
	case TicketAccessRequest:
		return "Access request"
	case TicketBug:
		return "Bug"
	}
	return string(c)
}

// TicketPriority is how urgent a ticket is.
type TicketPriority string

const (
	PriorityLow    TicketPriority = "low"
	PriorityNormal TicketPriority = "normal"
	PriorityHigh   TicketPriority = "high"
	PriorityUrgent TicketPriority = "urgent"
)

// TicketPriorities lists the priorities, least urgent first.
var TicketPriorities = []TicketPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Label is the priority as users read it.
func (p TicketPriority) Label() string {
	switch p {
	case PriorityLow:
		return "Low"
	case PriorityNormal:
		return "Normal"
	case PriorityHigh:
		return "High"
	case PriorityUrgent:
		return "Urgent: I cannot work"
	}
	return string(p)
}

// Limits of the ticket fields.
const (
	MaxTicketSubject   = 200
	MaxTicketText      = 10000
	MaxTicketPagePath  = 300
	MaxTicketRecordID  = 64
	MaxVendorReference = 100
)

// Ticket is one support ticket.
type Ticket struct {
	ID                string
	AccountID         string // who filed it
	FiledBy           string // their name, else username
	OrganizationID    string
	Subject           string
	Category          TicketCategory
	Priority          TicketPriority
	Description       string
	PagePath          string // the page it concerns, a path on the site ("" none)
	RecordID          string // the record it concerns, by ID ("" none)
	Status            TicketStatus
	AssignedAccountID string
	AssignedTo        string // the assignee's name, else username
	VendorReference   string
	PIIConfirmed      bool // the filer confirmed that text flagged as PII-like is not client PII
	DateCreated       time.Time
	DateUpdated       time.Time
	DateResolved      time.Time
	Unread            int // the actor's unread notifications on this ticket
}

// Ref is the ticket's short reference, as users quote it.
func (t Ticket) Ref() string { return TicketRef(t.ID) }

// TicketRef is the short reference of the ticket with the given ID.
func TicketRef(id string) string {
	if len(id) > 8 {
		id = id[:8]
	}
	return strings.ToUpper(id)
}

// Message kinds in a ticket's thread.
const (
	MessageReply = "reply" // seen by the filer and the administrators
	MessageNote  = "note"  // internal: administrators only
	MessageEvent = "event" // a status or assignment change
)

// TicketMessage is one entry of a ticket's thread.
type TicketMessage struct {
	ID              string
	TicketID        string
	AuthorAccountID string
	AuthorName      string
	AuthorIsAdmin   bool
	Kind            string
	Internal        bool
	Body            string
	ArticleID       string // a linked knowledge base article ("" none)
	ArticleTitle    string
	DateCreated     time.Time
}

// TicketThread is a ticket as one reader sees it: internal notes and
// events only for administrators.
type TicketThread struct {
	Ticket
	Messages []TicketMessage
}

// NewTicket is what FileTicket needs.
type NewTicket struct {
	Subject      string
	Category     TicketCategory
	Priority     TicketPriority
	Description  string
	PagePath     string
	RecordID     string
	ConfirmNoPII bool // the filer saw the PII warning and confirms the text holds none
}

// isSupportAdmin reports whether the actor works the support queue.
func isSupportAdmin(a hmis.Actor) bool { return a.System || a.Role.WorksSupportDesk() }

var (
	recordIDRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	pagePathRE = regexp.MustCompile(`^/[A-Za-z0-9_./~-]*$`)
)

// checkText validates a required text field.
func checkText(fe hmis.FieldErrors, field, value, empty string, max int) {
	switch {
	case value == "":
		fe.Add(field, empty)
	case utf8.RuneCountInString(value) > max:
		fe.Add(field, fmt.Sprintf("Write at most %d characters.", max))
	}
}

// piiCheck adds the confirmation request when text looks like client PII.
func piiCheck(fe hmis.FieldErrors, now time.Time, confirmed bool, texts ...string) bool {
	reasons := SuspectedPII(strings.Join(texts, "\n"), now)
	if len(reasons) == 0 {
		return false
	}
	if !confirmed {
		fe.Add("confirm_pii", "This text has "+strings.Join(reasons, " and ")+
			". Do not send client PII in a ticket: name a client by their ID. Remove it, or confirm that it is not client information.")
	}
	return true
}

// FileTicket files a ticket as the actor (any signed-in user), audited
// ("create", "ticket"). Text that looks like client PII is refused with
// the field "confirm_pii" until n.ConfirmNoPII is set.
func (s *Store) FileTicket(ctx context.Context, n NewTicket) (Ticket, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return Ticket{}, errNoActor
	}
	n.Subject = strings.Join(strings.Fields(n.Subject), " ")
	n.Description = strings.TrimSpace(strings.ReplaceAll(n.Description, "\r\n", "\n"))
	n.PagePath = strings.TrimSpace(n.PagePath)
	n.RecordID = strings.TrimSpace(n.RecordID)
	if n.Priority == "" {
		n.Priority = PriorityNormal
	}
	fe := hmis.FieldErrors{}
	checkText(fe, "subject", n.Subject, "Write a subject: what the ticket is about, in a few words.", MaxTicketSubject)
	checkText(fe, "description", n.Description, "Describe the question or the problem.", MaxTicketText)
	if !validCategory(n.Category) {
		fe.Add("category", "Choose a category.")
	}
	if !validPriority(n.Priority) {
		fe.Add("priority", "Choose a priority.")
	}
	if n.PagePath != "" && (len(n.PagePath) > MaxTicketPagePath || !pagePathRE.MatchString(n.PagePath) || strings.HasPrefix(n.PagePath, "//")) {
		fe.Add("page_path", "Give the page as its path on this site, e.g. /live/clients/find, or leave it empty.")
	}
	if n.RecordID != "" && (len(n.RecordID) > MaxTicketRecordID || !recordIDRE.MatchString(n.RecordID)) {
		fe.Add("record_id", "Give the record's ID (letters, digits, dashes), not a name, or leave it empty.")
	}
	if actor.AccountID == "" {
		fe.Add("account", "Tickets are filed by a signed-in user.")
	}
	var t Ticket
	err := s.write(ctx, func(tx *Tx) error {
		flagged := piiCheck(fe, tx.now, n.ConfirmNoPII, n.Subject, n.Description)
		if err := fe.Err("The ticket was not sent."); err != nil {
			return err
		}
		t = Ticket{ID: NewID(), AccountID: actor.AccountID, OrganizationID: actor.OrganizationID, Subject: n.Subject,
			Category: n.Category, Priority: n.Priority, Description: n.Description, PagePath: n.PagePath,
			RecordID: n.RecordID, Status: TicketOpen, PIIConfirmed: flagged, DateCreated: tx.now, DateUpdated: tx.now}
		if _, err := tx.exec(`INSERT INTO support_tickets (id, account_id, organization_id, subject, category, priority,
				description, page_path, record_id, status, pii_confirmed, date_created, date_updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.AccountID, t.OrganizationID, t.Subject, string(t.Category), string(t.Priority), t.Description,
			t.PagePath, t.RecordID, string(t.Status), t.PIIConfirmed, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		detail := fmt.Sprintf("category=%s priority=%s", t.Category, t.Priority)
		if flagged {
			detail += "; PII warning confirmed by the filer"
		}
		return tx.audit("create", "ticket", t.ID, detail)
	})
	return t, err
}

func validCategory(c TicketCategory) bool {
	for _, x := range TicketCategories {
		if x == c {
			return true
		}
	}
	return false
}

func validPriority(p TicketPriority) bool {
	for _, x := range TicketPriorities {
		if x == p {
			return true
		}
	}
	return false
}

func validStatus(st TicketStatus) bool {
	for _, x := range TicketStatuses {
		if x == st {
			return true
		}
	}
	return false
}

// ticketSelect reads tickets (alias t) with the filer's and the
// assignee's names and the reader's unread notifications (first
// argument: the reader's account ID).
const ticketSelect = `SELECT t.id, t.account_id, f.first_name, f.last_name, f.username, t.organization_id, t.subject,
		t.category, t.priority, t.description, t.page_path, t.record_id, t.status, t.assigned_account_id,
		g.first_name, g.last_name, g.username, t.vendor_reference, t.pii_confirmed, t.date_created, t.date_updated,
		t.date_resolved,
		(SELECT COUNT(*) FROM notifications nt WHERE nt.entity = 'ticket' AND nt.entity_id = t.id
			AND nt.account_id = ? AND nt.date_read IS NULL)
	FROM support_tickets t
	LEFT JOIN accounts f ON f.id = t.account_id
	LEFT JOIN accounts g ON g.id = t.assigned_account_id
	WHERE 1=1`

// ticketScope is the condition that the actor may see the ticket
// (alias t): an administrator sees every ticket of the site, anyone
// else those they filed.
func ticketScope(a hmis.Actor) (string, []any) {
	if isSupportAdmin(a) {
		return "", nil
	}
	return ` AND t.account_id = ?`, []any{a.AccountID}
}

func personName(first, last, username string) string {
	if n := strings.TrimSpace(first + " " + last); n != "" {
		return n
	}
	return username
}

func scanTicket(sc rowScanner) (Ticket, error) {
	var t Ticket
	var ff, fl, fu, gf, gl, gu, cat, pri, st string
	err := sc.Scan(&t.ID, &t.AccountID, scanString(&ff), scanString(&fl), scanString(&fu), &t.OrganizationID, &t.Subject,
		&cat, &pri, &t.Description, &t.PagePath, &t.RecordID, &st, scanString(&t.AssignedAccountID),
		scanString(&gf), scanString(&gl), scanString(&gu), &t.VendorReference, &t.PIIConfirmed, scanTime(&t.DateCreated),
		scanTime(&t.DateUpdated), scanTime(&t.DateResolved), &t.Unread)
	t.Category, t.Priority, t.Status = TicketCategory(cat), TicketPriority(pri), TicketStatus(st)
	t.FiledBy = personName(ff, fl, fu)
	if t.AssignedAccountID != "" {
		t.AssignedTo = personName(gf, gl, gu)
	}
	return t, err
}

// visibleTicket reads one ticket the actor may see; any other is not found.
func (tx *Tx) visibleTicket(id string) (Ticket, error) {
	q := ticketSelect + ` AND t.id = ?`
	args := []any{tx.actor.AccountID, id}
	cond, cargs := ticketScope(tx.actor)
	t, err := scanTicket(tx.queryRow(q+cond, append(args, cargs...)...))
	return t, one(err, "Ticket")
}

// TicketFilter selects tickets for FindTickets.
type TicketFilter struct {
	Mine     bool           // only tickets the actor filed (always so for non-administrators)
	Status   TicketStatus   // "" any; "active" is not a status: see Active
	Active   bool           // every status but resolved
	Priority TicketPriority // "" any
	Assignee string         // "" anyone, "none" unassigned, else an account ID
	Limit    int            // default 200
}

// FindTickets returns the tickets the actor may see that match f, most
// recently updated first, audited ("list", "ticket", with the count and
// the filter; opening a ticket is audited on the ticket).
func (s *Store) FindTickets(ctx context.Context, f TicketFilter) ([]Ticket, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	q := ticketSelect
	args := []any{actor.AccountID}
	cond, cargs := ticketScope(actor)
	q, args = q+cond, append(args, cargs...)
	if f.Mine && cond == "" {
		q += ` AND t.account_id = ?`
		args = append(args, actor.AccountID)
	}
	if f.Status != "" {
		q += ` AND t.status = ?`
		args = append(args, string(f.Status))
	}
	if f.Active {
		q += ` AND t.status <> 'resolved'`
	}
	if f.Priority != "" {
		q += ` AND t.priority = ?`
		args = append(args, string(f.Priority))
	}
	switch f.Assignee {
	case "":
	case "none":
		q += ` AND t.assigned_account_id IS NULL`
	default:
		q += ` AND t.assigned_account_id = ?`
		args = append(args, f.Assignee)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q += fmt.Sprintf(` ORDER BY t.date_updated DESC, t.id LIMIT %d`, f.Limit)
	var out []Ticket
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTicket(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%d tickets", len(out))
	if f.Mine || !isSupportAdmin(actor) {
		detail += "; own"
	}
	if f.Status != "" || f.Active || f.Priority != "" || f.Assignee != "" {
		detail += fmt.Sprintf("; status=%s active=%t priority=%s assignee=%s", f.Status, f.Active, f.Priority, f.Assignee)
	}
	return out, s.Audit(ctx, "list", "ticket", "", detail)
}

// OpenTicket returns a ticket the actor may see with its thread, marks
// the actor's notifications on it read, and audits the opening ("read",
// "ticket"). Internal notes and internal events are left out for anyone
// but an administrator.
func (s *Store) OpenTicket(ctx context.Context, id string) (TicketThread, error) {
	var th TicketThread
	err := s.write(ctx, func(tx *Tx) error {
		t, err := tx.visibleTicket(id)
		if err != nil {
			return err
		}
		th.Ticket = t
		q := `SELECT m.id, m.ticket_id, m.author_account_id, a.first_name, a.last_name, a.username, a.role, m.kind,
				m.internal, m.body, m.article_id, ar.title, m.date_created
			FROM support_messages m
			LEFT JOIN accounts a ON a.id = m.author_account_id
			LEFT JOIN support_articles ar ON ar.id = m.article_id
			WHERE m.ticket_id = ?`
		if !isSupportAdmin(tx.actor) {
			q += ` AND m.internal = ?`
		}
		q += ` ORDER BY m.date_created, m.id`
		args := []any{id}
		if !isSupportAdmin(tx.actor) {
			args = append(args, false)
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m TicketMessage
			var first, last, username, role string
			if err := rows.Scan(&m.ID, &m.TicketID, &m.AuthorAccountID, scanString(&first), scanString(&last),
				scanString(&username), scanString(&role), &m.Kind, &m.Internal, &m.Body, scanString(&m.ArticleID),
				scanString(&m.ArticleTitle), scanTime(&m.DateCreated)); err != nil {
				return err
			}
			m.AuthorName = personName(first, last, username)
			m.AuthorIsAdmin = hmis.Role(role).WorksSupportDesk()
			th.Messages = append(th.Messages, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		read, err := tx.markRead("ticket", id)
		if err != nil {
			return err
		}
		th.Unread = 0
		detail := ""
		if read > 0 {
			detail = fmt.Sprintf("%d notifications marked read", read)
		}
		return tx.audit("read", "ticket", id, detail)
	})
	return th, err
}

// TicketReply is a reply or an internal note.
type TicketReply struct {
	TicketID     string
	Body         string
	Internal     bool   // an internal note: administrators only, never shown to the filer
	ArticleID    string // optional: a knowledge base article to link (administrators)
	ConfirmNoPII bool
}

// ReplyToTicket adds a reply (or, for an administrator, an internal
// note) to a ticket the actor may see, audited ("reply" or "note",
// "ticket"). An administrator's reply notifies the filer; the filer's
// reply notifies the assignee and moves a ticket waiting on the user, or
// resolved, back to open.
func (s *Store) ReplyToTicket(ctx context.Context, r TicketReply) (TicketMessage, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return TicketMessage{}, errNoActor
	}
	r.Body = strings.TrimSpace(strings.ReplaceAll(r.Body, "\r\n", "\n"))
	r.ArticleID = strings.TrimSpace(r.ArticleID)
	admin := isSupportAdmin(actor)
	var m TicketMessage
	err := s.write(ctx, func(tx *Tx) error {
		t, err := tx.visibleTicket(r.TicketID)
		if err != nil {
			return err
		}
		if (r.Internal || r.ArticleID != "") && !admin {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators add internal notes and link articles."}
		}
		fe := hmis.FieldErrors{}
		checkText(fe, "body", r.Body, "Write the reply.", MaxTicketText)
		if r.ArticleID != "" {
			if err := tx.queryRow(`SELECT 1 FROM support_articles WHERE id = ?`, r.ArticleID).Scan(new(int)); errors.Is(err, sql.ErrNoRows) {
				fe.Add("article_id", "Choose one of the knowledge base articles.")
			} else if err != nil {
				return err
			}
		}
		flagged := piiCheck(fe, tx.now, r.ConfirmNoPII, r.Body)
		if err := fe.Err("The reply was not sent."); err != nil {
			return err
		}
		kind := MessageReply
		if r.Internal {
			kind = MessageNote
		}
		m = TicketMessage{ID: NewID(), TicketID: t.ID, AuthorAccountID: actor.AccountID, AuthorIsAdmin: admin,
			Kind: kind, Internal: r.Internal, Body: r.Body, ArticleID: r.ArticleID, DateCreated: tx.now}
		if err := tx.addMessage(m); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE support_tickets SET date_updated = ? WHERE id = ?`, tx.ts(tx.now), t.ID); err != nil {
			return err
		}
		detail := ""
		if flagged {
			detail = "PII warning confirmed"
		}
		if r.Internal {
			return tx.audit("note", "ticket", t.ID, detail)
		}
		if err := tx.audit("reply", "ticket", t.ID, detail); err != nil {
			return err
		}
		if actor.AccountID == t.AccountID {
			// The filer answered: the assignee hears of it, and a ticket
			// waiting on them (or resolved) is open again.
			if t.AssignedAccountID != "" && t.AssignedAccountID != actor.AccountID {
				if err := tx.notify(t.AssignedAccountID, "ticket_reply", "ticket", t.ID); err != nil {
					return err
				}
			}
			if t.Status == TicketWaiting || t.Status == TicketResolved {
				return tx.setStatus(t, TicketOpen, t.VendorReference, "reopened by the filer's reply")
			}
			return nil
		}
		return tx.notify(t.AccountID, "ticket_reply", "ticket", t.ID)
	})
	return m, err
}

func (tx *Tx) addMessage(m TicketMessage) error {
	_, err := tx.exec(`INSERT INTO support_messages (id, ticket_id, author_account_id, kind, internal, body, article_id, date_created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.TicketID, m.AuthorAccountID, m.Kind, m.Internal, m.Body, nullString(m.ArticleID), tx.ts(m.DateCreated))
	return err
}

// SetTicketStatus changes a ticket's status (administrators). Escalating
// to the vendor needs the vendor's reference. The change is written in
// the thread (seen by the filer, who is notified) and audited ("status",
// "ticket").
func (s *Store) SetTicketStatus(ctx context.Context, id string, status TicketStatus, vendorRef string) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	vendorRef = strings.TrimSpace(vendorRef)
	return s.write(ctx, func(tx *Tx) error {
		t, err := tx.visibleTicket(id)
		if err != nil {
			return err
		}
		if !isSupportAdmin(actor) {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators change a ticket's status."}
		}
		fe := hmis.FieldErrors{}
		if !validStatus(status) {
			fe.Add("status", "Choose a status.")
		}
		switch {
		case status == TicketEscalated && vendorRef == "":
			fe.Add("vendor_reference", "Give the vendor's reference for the escalated ticket.")
		case utf8.RuneCountInString(vendorRef) > MaxVendorReference:
			fe.Add("vendor_reference", fmt.Sprintf("Write at most %d characters.", MaxVendorReference))
		}
		if err := fe.Err("The status was not changed."); err != nil {
			return err
		}
		if vendorRef == "" {
			vendorRef = t.VendorReference
		}
		if status == t.Status && vendorRef == t.VendorReference {
			return nil
		}
		if err := tx.setStatus(t, status, vendorRef, ""); err != nil {
			return err
		}
		if t.AccountID != actor.AccountID {
			return tx.notify(t.AccountID, "ticket_status", "ticket", t.ID)
		}
		return nil
	})
}

// setStatus writes a status change, its thread event and its audit row.
func (tx *Tx) setStatus(t Ticket, status TicketStatus, vendorRef, why string) error {
	var resolved any
	if status == TicketResolved {
		resolved = tx.ts(tx.now)
	}
	if _, err := tx.exec(`UPDATE support_tickets SET status = ?, vendor_reference = ?, date_resolved = ?, date_updated = ? WHERE id = ?`,
		string(status), vendorRef, resolved, tx.ts(tx.now), t.ID); err != nil {
		return err
	}
	body := "Status: " + status.AdminLabel()
	if status == TicketEscalated {
		body += " (vendor reference " + vendorRef + ")"
	}
	if why != "" {
		body += ", " + why
	}
	if err := tx.addMessage(TicketMessage{ID: NewID(), TicketID: t.ID, AuthorAccountID: tx.actor.AccountID,
		Kind: MessageEvent, Body: body + ".", DateCreated: tx.now}); err != nil {
		return err
	}
	return tx.audit("status", "ticket", t.ID, fmt.Sprintf("%s -> %s", t.Status, status))
}

// AssignTicket gives a ticket to an administrator ("" takes it back to
// unassigned), an internal event in the thread, audited ("assign",
// "ticket"). The new assignee is notified.
func (s *Store) AssignTicket(ctx context.Context, id, accountID string) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	accountID = strings.TrimSpace(accountID)
	return s.write(ctx, func(tx *Tx) error {
		t, err := tx.visibleTicket(id)
		if err != nil {
			return err
		}
		if !isSupportAdmin(actor) {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators assign tickets."}
		}
		if accountID == t.AssignedAccountID {
			return nil
		}
		body := "Unassigned."
		if accountID != "" {
			var first, last, username string
			err := tx.queryRow(`SELECT first_name, last_name, username FROM accounts WHERE id = ? AND role IN (?, ?) AND disabled = ?`,
				accountID, string(hmis.RoleAdmin), string(hmis.RoleSupport), false).Scan(&first, &last, &username)
			if errors.Is(err, sql.ErrNoRows) {
				return &hmis.Error{Code: hmis.EINVALID, Message: "The ticket was not assigned.",
					Fields: map[string]string{"assignee": "Choose an HMIS administrator or support person."}}
			} else if err != nil {
				return err
			}
			body = "Assigned to " + personName(first, last, username) + "."
		}
		if _, err := tx.exec(`UPDATE support_tickets SET assigned_account_id = ?, date_updated = ? WHERE id = ?`,
			nullString(accountID), tx.ts(tx.now), t.ID); err != nil {
			return err
		}
		if err := tx.addMessage(TicketMessage{ID: NewID(), TicketID: t.ID, AuthorAccountID: actor.AccountID,
			Kind: MessageEvent, Internal: true, Body: body, DateCreated: tx.now}); err != nil {
			return err
		}
		if accountID != "" && accountID != actor.AccountID {
			if err := tx.notify(accountID, "ticket_assigned", "ticket", t.ID); err != nil {
				return err
			}
		}
		return tx.audit("assign", "ticket", t.ID, "assignee="+accountID)
	})
}

// SupportAdmins returns the accounts a ticket can be assigned to: the
// site's HMIS administrators and support desk that are not disabled, by name.
func (s *Store) SupportAdmins(ctx context.Context) ([]hmis.Account, error) {
	all, err := s.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []hmis.Account
	for _, a := range all {
		if a.Role.WorksSupportDesk() && !a.Disabled {
			out = append(out, a)
		}
	}
	return out, nil
}
