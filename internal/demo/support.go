package demo

import (
	"context"

	"github.com/hearth-hmis/hearth/internal/store"
)

// helpArticles are the demo site's knowledge base (Support → Help, issue
// 8): a few answers an HMIS administrator would write first, about pages
// Hearth has.
var helpArticles = []store.Article{
	{Title: "Asking for help without sharing client PII", Body: `Tickets are read by the HMIS administrators and, when they escalate a ticket, by the vendor's support staff. Never type a client's name, Social Security number or date of birth into a ticket.

Name a client by their Client ID instead: it is in the address of the client's dashboard, after /clients/. The "Get help with this page" link at the top of every page fills in the page you are on, and on a client's page the Client ID.

If Hearth warns that your text looks like a Social Security number or a date of birth, remove it. Confirm only when it is not client information, such as a report's date range.`},
	{Title: "Finding a client before adding one", Body: `Always search before you add a client: most people who come to a shelter have been served before, and a second record splits their history.

Find Client accepts a name with typos or a nickname (Peggy finds Margaret), a date of birth, or the SSN (all nine digits or the last four). Each result says why it matched.

Add New Client opens only after a search. If the form finds a likely duplicate when you save, open that client instead of adding a new one.`},
	{Title: "The live site and the training site", Body: `The training site wears a red TRAINING SITE banner and a violet header on every page. Use it to practice: nothing there is real.

Never enter a real client on the training site, and never practice on the live site. Check the header before you start an intake.`},
}

// writeHelpArticles adds the demo knowledge base to a new demo site.
func writeHelpArticles(ctx context.Context, st *store.Store) error {
	have, err := st.FindArticles(ctx)
	if err != nil || len(have) > 0 {
		return err
	}
	for _, a := range helpArticles {
		if _, err := st.SaveArticle(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
