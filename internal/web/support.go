package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Support tab (issue 8): any user files a ticket with the HMIS
// administrators (New Ticket) and follows it (My Tickets); administrators
// work the Ticket Queue; everyone reads the knowledge base (Help,
// support_help.go). The rules (who sees which ticket, the PII check,
// notifications) are the store's (store/support.go); a ticket outside
// one's scope is "not found".

const (
	ticketsPath   = "support/tickets"
	newTicketPath = "support/new"
	queuePath     = "support/queue"
	helpPath      = "support/help"
)

// supportRoutes adds the Support tab's routes.
func (s *Server) supportRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+ticketsPath, s.page(s.myTickets))
	sm.Handle("GET /{site}/"+newTicketPath, s.page(s.newTicketForm))
	sm.Handle("POST /{site}/"+newTicketPath, s.page(s.fileTicket))
	sm.Handle("GET /{site}/"+ticketsPath+"/{id}", s.page(s.ticketPage))
	sm.Handle("POST /{site}/"+ticketsPath+"/{id}/{action}", s.page(s.ticketAction))
	sm.Handle("GET /{site}/"+queuePath, s.desk(s.ticketQueue))
	sm.Handle("GET /{site}/"+helpPath, s.page(s.helpIndex))
	sm.Handle("GET /{site}/"+helpPath+"/{id}", s.page(s.helpArticle))
	sm.Handle("GET /{site}/"+helpPath+"/new", s.desk(s.articleForm))
	sm.Handle("POST /{site}/"+helpPath+"/new", s.desk(s.saveArticle))
	sm.Handle("GET /{site}/"+helpPath+"/{id}/edit", s.desk(s.articleForm))
	sm.Handle("POST /{site}/"+helpPath+"/{id}/edit", s.desk(s.saveArticle))
}

// ticketRow is a ticket in a list.
type ticketRow struct {
	store.Ticket
	Href, Updated, StatusLabel string
}

func ticketRows(rq *request, list []store.Ticket, admin bool) []ticketRow {
	out := make([]ticketRow, 0, len(list))
	for _, t := range list {
		label := t.Status.Label()
		if admin {
			label = t.Status.AdminLabel()
		}
		out = append(out, ticketRow{Ticket: t, Href: rq.base() + "/" + ticketsPath + "/" + t.ID,
			Updated: datetime(t.DateUpdated), StatusLabel: label})
	}
	return out
}

// myTicketsPage is My Tickets: the user's unread notifications, then the
// tickets they filed.
type myTicketsPage struct {
	Shell
	Filed         bool
	Notifications []notificationRow
	Tickets       []ticketRow
}

type notificationRow struct {
	Text, Href, When string
}

func notificationText(n store.Notification) string {
	switch n.Kind {
	case "ticket_reply":
		return "New reply on “" + n.Subject + "”"
	case "ticket_status":
		return "Status changed on “" + n.Subject + "”"
	case "ticket_assigned":
		return "Assigned to you: “" + n.Subject + "”"
	}
	return "Update on “" + n.Subject + "”"
}

func (s *Server) myTickets(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	list, err := st.FindTickets(ctx, store.TicketFilter{Mine: true})
	if err != nil {
		return err
	}
	notes, err := st.FindUnreadNotifications(ctx)
	if err != nil {
		return err
	}
	p := myTicketsPage{Filed: r.URL.Query().Get("filed") != "", Tickets: ticketRows(rq, list, false)}
	for _, n := range notes {
		p.Notifications = append(p.Notifications, notificationRow{Text: notificationText(n),
			Href: rq.base() + "/" + ticketsPath + "/" + n.EntityID, When: datetime(n.DateCreated)})
	}
	if p.Shell, err = s.shell(r, rq, "support", rq.base()+"/"+ticketsPath, "My Tickets"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "support_tickets", &p)
}

// newTicketPage is New Ticket.
type newTicketPage struct {
	Shell
	Values     map[string]string
	Errors     map[string]string
	Error      string
	Category   choiceField
	Priority   choiceField
	ConfirmPII bool // the text was flagged: show the confirmation box
}

// choiceField is what the option-select partial needs.
type choiceField struct {
	Name, Label, Empty, Value, Error string
	Options                          []option
}

func newSelect(name, label, empty string, opts []option, values, errs map[string]string) choiceField {
	return choiceField{Name: name, Label: label, Empty: empty, Value: values[name], Error: errs[name], Options: opts}
}

func ticketOptions() (cats, pris []option) {
	for _, c := range store.TicketCategories {
		cats = append(cats, option{string(c), c.Label()})
	}
	for _, p := range store.TicketPriorities {
		pris = append(pris, option{string(p), p.Label()})
	}
	return cats, pris
}

// clientPathRE finds a client's ID in a page path (the client pages are
// /{site}/clients/{personalID}[/...]).
var clientPathRE = regexp.MustCompile(`^/[^/]+/clients/([^/]+)`)

// recordFromPath is the record a page is about, when the page names one:
// a client page's PersonalID. Menu paths under clients/ are not clients.
func recordFromPath(path string) string {
	m := clientPathRE.FindStringSubmatch(path)
	if m == nil {
		return ""
	}
	for _, t := range tabs {
		for _, g := range t.Groups {
			for _, it := range g.Items {
				if it.Path == "clients/"+m[1] || strings.HasPrefix(it.Path, "clients/"+m[1]+"/") {
					return ""
				}
			}
		}
	}
	if m[1] == "programs" {
		return ""
	}
	return m[1]
}

// newTicketForm shows the form; ?page= (from the header's "Get help with
// this page" link, a path without its query) fills the page and, on a
// client's page, the record.
func (s *Server) newTicketForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	values := map[string]string{"priority": string(store.PriorityNormal)}
	if page := clip(strings.TrimSpace(r.URL.Query().Get("page")), store.MaxTicketPagePath); strings.HasPrefix(page, rq.base()+"/") {
		values["page_path"] = page
		values["record_id"] = recordFromPath(page)
		if values["record_id"] != "" {
			values["category"] = string(store.TicketDataCorrection)
		}
	}
	return s.renderNewTicket(w, r, rq, http.StatusOK, values, map[string]string{})
}

// ticketFields are the New Ticket form's fields.
var ticketFields = []string{"subject", "category", "priority", "description", "page_path", "record_id", "confirm_pii"}

// withKeys returns m with every name present (templates pass values on
// as strings, and a missing key is no string).
func withKeys(m map[string]string, names ...string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	for _, n := range names {
		if _, ok := m[n]; !ok {
			m[n] = ""
		}
	}
	return m
}

func (s *Server) renderNewTicket(w http.ResponseWriter, r *http.Request, rq *request, status int, values, errs map[string]string) error {
	values = withKeys(values, ticketFields...)
	p := newTicketPage{Values: values, Errors: errs, ConfirmPII: errs["confirm_pii"] != "" || values["confirm_pii"] != ""}
	cats, pris := ticketOptions()
	p.Category = newSelect("category", "Category", "- Select -", cats, values, errs)
	p.Priority = newSelect("priority", "Priority", "", pris, values, errs)
	if len(errs) > 0 {
		p.Error = "The ticket was not sent: correct the fields marked below."
		if len(errs) == 1 && errs["confirm_pii"] != "" {
			p.Error = "The ticket was not sent: check it for client PII first."
		}
	}
	var err error
	if p.Shell, err = s.shell(r, rq, "support", rq.base()+"/"+newTicketPath, "New Ticket"); err != nil {
		return err
	}
	return s.render(w, r, status, "support_new", &p)
}

// formValues reads the named fields, clipped to max characters each.
func formValues(r *http.Request, max int, names ...string) (map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	v := map[string]string{}
	for _, n := range names {
		v[n] = clip(r.PostFormValue(n), max)
	}
	return v, nil
}

// invalidFields returns the field messages of an invalid-input error.
func invalidFields(err error) (map[string]string, bool) {
	var e *hmis.Error
	if errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0 {
		return e.Fields, true
	}
	return nil, false
}

func (s *Server) fileTicket(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := formValues(r, store.MaxTicketText+100, ticketFields...)
	if err != nil {
		return err
	}
	t, err := rq.Site.Store.FileTicket(r.Context(), store.NewTicket{Subject: v["subject"],
		Category: store.TicketCategory(v["category"]), Priority: store.TicketPriority(v["priority"]),
		Description: v["description"], PagePath: v["page_path"], RecordID: v["record_id"], ConfirmNoPII: v["confirm_pii"] != ""})
	if errs, ok := invalidFields(err); ok {
		return s.renderNewTicket(w, r, rq, http.StatusUnprocessableEntity, v, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+ticketsPath+"/"+t.ID+"?filed=1", http.StatusSeeOther)
	return nil
}

// ticketPageData is one ticket with its thread and, for administrators,
// the queue's forms.
type ticketPageData struct {
	Shell
	T            store.TicketThread
	Ref          string
	StatusLabel  string
	Admin        bool
	Description  []string
	PageHref     string
	Messages     []messageRow
	Notice       string
	Values       map[string]string
	Errors       map[string]string
	Error        string
	ConfirmPII   bool
	Status       store.TicketStatus
	Article      choiceField
	StatusSelect choiceField
	Assignee     choiceField
	ActionPrefix string
	QueueHref    string
}

type messageRow struct {
	store.TicketMessage
	When        string
	Paragraphs  []string
	ArticleHref string
}

// paragraphs splits plain text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	notice := ""
	switch {
	case r.URL.Query().Get("filed") != "":
		notice = "Your ticket was sent to the HMIS administrators. You will see their answers here, and a notification at the top of every page."
	case r.URL.Query().Get("done") != "":
		notice = "Saved."
	}
	return s.renderTicket(w, r, rq, http.StatusOK, notice, map[string]string{}, map[string]string{})
}

func (s *Server) renderTicket(w http.ResponseWriter, r *http.Request, rq *request, status int, notice string, values, errs map[string]string) error {
	ctx := r.Context()
	st := rq.Site.Store
	th, err := st.OpenTicket(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	admin := isDesk(rq)
	values = withKeys(values, "body", "kind", "article_id", "confirm_pii")
	p := ticketPageData{T: th, Ref: th.Ref(), Status: th.Status, StatusLabel: th.Status.Label(), Admin: admin, Description: paragraphs(th.Description),
		Notice: notice, Values: values, Errors: errs, ConfirmPII: errs["confirm_pii"] != "" || values["confirm_pii"] != "",
		ActionPrefix: rq.base() + "/" + ticketsPath + "/" + th.ID, QueueHref: rq.base() + "/" + queuePath}
	if admin {
		p.StatusLabel = th.Status.AdminLabel()
	}
	// Only a path on this site becomes a link.
	if strings.HasPrefix(th.PagePath, rq.base()+"/") || th.PagePath == rq.base() {
		p.PageHref = th.PagePath
	}
	for _, m := range th.Messages {
		row := messageRow{TicketMessage: m, When: datetime(m.DateCreated), Paragraphs: paragraphs(m.Body)}
		if m.ArticleID != "" {
			row.ArticleHref = rq.base() + "/" + helpPath + "/" + m.ArticleID
		}
		p.Messages = append(p.Messages, row)
	}
	if len(errs) > 0 {
		p.Error = "Not saved: correct the fields marked below."
		if len(errs) == 1 && errs["confirm_pii"] != "" {
			p.Error = "The reply was not sent: check it for client PII first."
		}
	}
	if admin {
		if p.Values["status"] == "" {
			p.Values["status"] = string(th.Status)
		}
		if _, ok := p.Values["vendor_reference"]; !ok {
			p.Values["vendor_reference"] = th.VendorReference
		}
		if _, ok := p.Values["assignee"]; !ok {
			p.Values["assignee"] = th.AssignedAccountID
		}
		arts, err := st.FindArticles(ctx)
		if err != nil {
			return err
		}
		var opts []option
		for _, a := range arts {
			opts = append(opts, option{a.ID, a.Title})
		}
		p.Article = newSelect("article_id", "Link a help article (optional)", "- None -", opts, p.Values, errs)
		opts = nil
		for _, x := range store.TicketStatuses {
			opts = append(opts, option{string(x), x.AdminLabel()})
		}
		p.StatusSelect = newSelect("status", "Status", "", opts, p.Values, errs)
		admins, err := st.SupportAdmins(ctx)
		if err != nil {
			return err
		}
		opts = nil
		for _, a := range admins {
			opts = append(opts, option{a.ID, a.DisplayName()})
		}
		p.Assignee = newSelect("assignee", "Assigned to", "- Unassigned -", opts, p.Values, errs)
	}
	current := rq.base() + "/" + ticketsPath
	if admin && th.AccountID != rq.Account.ID {
		current = p.QueueHref
	}
	if p.Shell, err = s.shell(r, rq, "support", current, "Ticket "+p.Ref+": "+th.Subject); err != nil {
		return err
	}
	return s.render(w, r, status, "support_ticket", &p)
}

// ticketAction is a form posted on a ticket: reply (or internal note),
// status, assign.
func (s *Server) ticketAction(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	id := r.PathValue("id")
	v, err := formValues(r, store.MaxTicketText+100, "body", "kind", "article_id", "confirm_pii", "status", "vendor_reference", "assignee")
	if err != nil {
		return err
	}
	switch r.PathValue("action") {
	case "reply":
		_, err = st.ReplyToTicket(ctx, store.TicketReply{TicketID: id, Body: v["body"], Internal: v["kind"] == "note",
			ArticleID: v["article_id"], ConfirmNoPII: v["confirm_pii"] != ""})
	case "status":
		err = st.SetTicketStatus(ctx, id, store.TicketStatus(v["status"]), v["vendor_reference"])
	case "assign":
		err = st.AssignTicket(ctx, id, v["assignee"])
	default:
		return errPageNotFound
	}
	if errs, ok := invalidFields(err); ok {
		return s.renderTicket(w, r, rq, http.StatusUnprocessableEntity, "", v, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+ticketsPath+"/"+id+"?done=1", http.StatusSeeOther)
	return nil
}

// ticketQueuePage is the administrators' Ticket Queue.
type ticketQueuePage struct {
	Shell
	Tickets  []ticketRow
	Status   choiceField
	Priority choiceField
	Assignee choiceField
	Action   string
	Clear    string
	Filtered bool
}

func (s *Server) ticketQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	q := r.URL.Query()
	v := map[string]string{"status": clip(q.Get("status"), 20), "priority": clip(q.Get("priority"), 20),
		"assignee": clip(q.Get("assignee"), 64)}
	p := ticketQueuePage{Action: rq.base() + "/" + queuePath}
	f := store.TicketFilter{Priority: store.TicketPriority(v["priority"])}
	switch v["status"] {
	case "":
		f.Active = true
	case "all":
	default:
		f.Status = store.TicketStatus(v["status"])
	}
	switch v["assignee"] {
	case "me":
		f.Assignee = rq.Account.ID
	default:
		f.Assignee = v["assignee"]
	}
	p.Filtered = v["status"] != "" || v["priority"] != "" || v["assignee"] != ""
	p.Clear = p.Action
	list, err := st.FindTickets(ctx, f)
	if err != nil {
		return err
	}
	p.Tickets = ticketRows(rq, list, true)
	statuses := []option{{"", "Not resolved"}, {"all", "Any status"}}
	for _, x := range store.TicketStatuses {
		statuses = append(statuses, option{string(x), x.AdminLabel()})
	}
	priorities := []option{{"", "Any priority"}}
	for _, x := range store.TicketPriorities {
		priorities = append(priorities, option{string(x), x.Label()})
	}
	assignees := []option{{"", "Anyone"}, {"me", "Me"}, {"none", "Unassigned"}}
	admins, err := st.SupportAdmins(ctx)
	if err != nil {
		return err
	}
	for _, a := range admins {
		if a.ID != rq.Account.ID {
			assignees = append(assignees, option{a.ID, a.DisplayName()})
		}
	}
	none := map[string]string{}
	p.Status = newSelect("status", "Status", "", statuses, v, none)
	p.Priority = newSelect("priority", "Priority", "", priorities, v, none)
	p.Assignee = newSelect("assignee", "Assigned to", "", assignees, v, none)
	if p.Shell, err = s.shell(r, rq, "support", p.Action, "Ticket Queue"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "support_queue", &p)
}

// helpLink is the header's "Get help with this page" address: New Ticket
// with the current page's path (never its query string, which can hold
// a client search).
func helpLink(rq *request, path string) string {
	return rq.base() + "/" + newTicketPath + "?" + url.Values{"page": {path}}.Encode()
}
