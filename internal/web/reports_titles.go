package web

// reportTitles names the tables of the APR, CAPER and CE APR on the
// results page (captions): HUD's table titles, from the FY2022
// programming specifications as FY2024/FY2026 renamed them
// (REFERENCE.md §4.4, §4.6). The Sage CSVs carry only the ids.
var reportTitles = map[string]string{
	"Q4a": "Project Identifiers in HMIS", "Q5a": "Report Validations Table",
	"Q6a": "Data Quality: Personally Identifiable Information", "Q6b": "Data Quality: Universal Data Elements",
	"Q6c": "Data Quality: Income and Housing Data Quality", "Q6d": "Data Quality: Chronic Homelessness",
	"Q6e": "Data Quality: Timeliness", "Q6f": "Data Quality: Inactive Records: Street Outreach and Emergency Shelter",
	"Q7a": "Number of Persons Served", "Q7b": "Point-in-Time Count of Persons on the Last Wednesday",
	"Q8a": "Households Served", "Q8b": "Point-in-Time Count of Households on the Last Wednesday",
	"Q9a": "Number of Persons Contacted", "Q9b": "Number of Persons Engaged", "Q11": "Age",
	"Q12": "Race and Ethnicity", "Q13a1": "Physical and Mental Health Conditions at Start",
	"Q13a2": "Number of Conditions at Start", "Q13b1": "Physical and Mental Health Conditions at Exit",
	"Q13b2": "Number of Conditions at Exit", "Q13c1": "Physical and Mental Health Conditions for Stayers",
	"Q13c2": "Number of Conditions for Stayers", "Q14a": "Domestic Violence History",
	"Q14b": "When the Most Recent Domestic Violence Experience Occurred", "Q15": "Living Situation",
	"Q16": "Cash Income – Ranges", "Q17": "Cash Income – Sources", "Q18": "Client Cash Income Category – Earned/Other Income Category",
	"Q19a1": "Client Cash Income Change – Income Source – by Start and Latest Status",
	"Q19a2": "Client Cash Income Change – Income Source – by Start and Exit",
	"Q19b":  "Disabling Conditions and Income for Adults at Exit", "Q20a": "Type of Non-Cash Benefit Sources",
	"Q20b": "Number of Non-Cash Benefit Sources", "Q21": "Health Insurance", "Q22a1": "Length of Participation – CoC Projects",
	"Q22a2": "Length of Participation – ESG Projects", "Q22b": "Average and Median Length of Participation in Days",
	"Q22c": "Length of Time between Project Start Date and Housing Move-in Date",
	"Q22d": "Length of Participation by Household Type", "Q22e": "Length of Time Prior to Housing – based on 3.917 Date Homelessness Started",
	"Q22f": "Length of Time between Project Start Date and Housing Move-in Date by Race and Ethnicity",
	"Q22g": "Length of Time Prior to Housing by Race and Ethnicity", "Q23c": "Exit Destination",
	"Q23d": "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An Ongoing Subsidy",
	"Q23e": "Exit Destination Type by Race and Ethnicity", "Q24a": "Homelessness Prevention Housing Assessment at Exit",
	"Q24b": "Moving On Assistance Provided to Households in PSH", "Q24e": "Sex",
	"Q25a": "Number of Veterans", "Q25b": "Number of Veteran Households", "Q25d": "Age – Veterans",
	"Q25i": "Exit Destination – Veterans", "Q25j": "Exit Destination – Subsidy Type of Veterans Exiting to Rental with an Ongoing Subsidy",
	"Q26a": "Chronic Homeless Status – Number of Households with at least one or more Chronically Homeless Person",
	"Q26b": "Number of Chronically Homeless Persons by Household", "Q26d": "Age – Chronically Homeless Persons",
	"Q26e": "Physical and Mental Health Conditions – Chronically Homeless Persons", "Q27a": "Age of Youth",
	"Q27b": "Parenting Youth", "Q27d": "Living Situation – Youth", "Q27e": "Length of Participation – Youth",
	"Q27f1": "Exit Destination – Youth", "Q27f2": "Exit Destination – Subsidy Type of Youth Exiting to Rental with an Ongoing Subsidy",
	"Q27g": "Cash Income – Sources – Youth", "Q27h": "Client Cash Income Category – Youth",
	"Q27i": "Disabling Conditions and Income for Youth at Exit", "Q27j": "Average and Median Length of Participation in Days – Youth",
	"Q27k": "Length of Time between Project Start Date and Housing Move-in Date – Youth",
	"Q27l": "Length of Time Prior to Housing – Youth", "Q27m": "Education Status – Youth",
}

// ceTitles are the CE APR's titles where they differ (CE APR
// specification v1.4).
var ceTitles = map[string]string{
	"Q8a": "Number of Households Served", "Q9a": "Assessment Type – Households Assessed in the Date Range",
	"Q9b": "Prioritization Status – Households Prioritized in the Date Range",
	"Q9c": "Access Events – Households with an Access Event", "Q9d": "Referral Events – Households Who Were Referred",
	"Q10": "Total Coordinated Entry Activity During the Year",
}
