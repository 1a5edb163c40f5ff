package store

import (
	"regexp"
	"strconv"
	"time"
)

// Support tickets and their replies are about the system, not about
// clients: a client is named by its ID, never by its SSN or date of
// birth. SuspectedPII is the server's second line after the form's hint:
// text that looks like client PII is refused until the writer confirms
// it is not (the NewTicket and TicketReply ConfirmNoPII fields).

var (
	// ssnLike: nine digits as 3-2-4 (dashes or spaces optional), not part
	// of a longer number or ID (HUD 3.02 Social Security Number's shape).
	ssnLike = regexp.MustCompile(`(?:^|[^0-9A-Za-z-])(\d{3})[- ]?(\d{2})[- ]?(\d{4})(?:$|[^0-9A-Za-z-])`)
	// usDate: M/D/YYYY or M-D-YYYY; isoDate: YYYY-MM-DD.
	usDate  = regexp.MustCompile(`\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b`)
	isoDate = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	// dobWords: the words that introduce a date of birth (HUD 3.03).
	dobWords = regexp.MustCompile(`(?i)\b(dob|d\.o\.b|date of birth|birth ?date|birthday|born)\b`)
)

// SuspectedPII returns why text looks like it holds client PII (empty
// when it does not): a number shaped like a Social Security number, a
// date of birth's words, or a full date more than a year before today
// (dates of entries and exits this year stay unflagged, as data
// correction tickets need them). The reasons name patterns, never the
// text found.
func SuspectedPII(text string, today time.Time) []string {
	var out []string
	if ssnLike.MatchString(text) {
		out = append(out, "a number shaped like a Social Security number")
	}
	old := today.AddDate(-1, 0, 0)
	isOld := func(y, m, d string) bool {
		yy, _ := strconv.Atoi(y)
		mm, _ := strconv.Atoi(m)
		dd, _ := strconv.Atoi(d)
		if mm < 1 || mm > 12 || dd < 1 || dd > 31 || yy < 1900 {
			return false
		}
		return time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).Before(old)
	}
	dob := dobWords.MatchString(text)
	for _, m := range usDate.FindAllStringSubmatch(text, -1) {
		dob = dob || isOld(m[3], m[1], m[2])
	}
	for _, m := range isoDate.FindAllStringSubmatch(text, -1) {
		dob = dob || isOld(m[1], m[2], m[3])
	}
	if dob {
		out = append(out, "what looks like a date of birth")
	}
	return out
}
