package web

// ceTitles are the CE APR's titles where they differ from the APR's
// (report.Title) (CE APR specification v1.4).
var ceTitles = map[string]string{
	"Q9a": "Assessment Type – Households Assessed in the Date Range",
	"Q9b": "Prioritization Status – Households Prioritized in the Date Range",
	"Q9c": "Access Events – Households with an Access Event", "Q9d": "Referral Events – Households Who Were Referred",
	"Q10": "Total Coordinated Entry Activity During the Year",
}
