package hmis

import "time"

// Account is a person's sign-in to one site. Its HUD identity (name, phone,
// email for User.csv) is the User record with the same UserID.
type Account struct {
	ID                 string
	UserID             string // HUD User.UserID
	Username           string
	OrganizationID     string
	Role               Role
	FirstName          string
	LastName           string
	Email              string
	Demo               bool // demo accounts skip forced password change and two-factor
	MustChangePassword bool
	FailedSignIns      int
	LockedUntil        time.Time // zero when not locked
	Disabled           bool
	DateCreated        time.Time
	DateUpdated        time.Time
	LastSignIn         time.Time
}

// DisplayName is the account holder's name, or the username.
func (a Account) DisplayName() string {
	if a.FirstName == "" && a.LastName == "" {
		return a.Username
	}
	if a.LastName == "" {
		return a.FirstName
	}
	return a.FirstName + " " + a.LastName
}

// Actor returns the actor for requests made by this account.
func (a Account) Actor(via string) Actor {
	return Actor{AccountID: a.ID, UserID: a.UserID, Username: a.Username, OrganizationID: a.OrganizationID, Role: a.Role, Via: via}
}

// Session is a signed-in browser session. The token itself is never stored:
// only its SHA-256 hash, so a copy of the database cannot sign anyone in.
type Session struct {
	ID        string // hex SHA-256 of the token
	AccountID string
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time // absolute expiry
	IP        string
	UserAgent string
	Revoked   bool
}
