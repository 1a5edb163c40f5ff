package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/store"
)

// My Profile, the name and contact form (issue 8): the user's own first
// and last name, email, phone and extension, which are also their HUD
// User record (User.csv). The store validates and audits
// (store/profile.go).

// contactForm is the form as typed, with a message per field in error.
type contactForm struct {
	Values map[string]string
	Errors map[string]string
	Error  string
}

var contactFields = []string{"first_name", "last_name", "email", "phone", "extension"}

func (s *Server) contactFormOf(r *http.Request, rq *request) (contactForm, error) {
	p, err := rq.Site.Store.FindProfile(r.Context())
	if err != nil {
		return contactForm{}, err
	}
	return contactForm{Values: map[string]string{"first_name": p.FirstName, "last_name": p.LastName, "email": p.Email,
		"phone": formatPhone(p.Phone), "extension": p.Extension}, Errors: map[string]string{}}, nil
}

// formatPhone shows HUD's ten digits as (209) 555-0147.
func formatPhone(d string) string {
	if len(d) != 10 {
		return d
	}
	return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
}

func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := formValues(r, 400, contactFields...)
	if err != nil {
		return err
	}
	_, err = rq.Site.Store.UpdateProfile(r.Context(), store.Profile{FirstName: v["first_name"], LastName: v["last_name"],
		Email: v["email"], Phone: v["phone"], Extension: v["extension"]})
	if errs, ok := invalidFields(err); ok {
		return s.renderProfile(w, r, rq, http.StatusUnprocessableEntity, contactForm{Values: withKeys(v, contactFields...), Errors: errs,
			Error: "Your profile was not saved: correct the fields marked below."})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/profile?saved=1", http.StatusSeeOther)
	return nil
}
