package demo

import "strings"

// The demo Continuum is fictional ("Harbor County") but sits in the state
// of the site's CoC code, so addresses, ZIP codes and geocodes (2.03) look
// local: a geocode is the state's FIPS code plus four digits, and ZIP codes
// start with a prefix used in that state.

// stateGeo maps a state to its FIPS code and a ZIP-code prefix.
var stateGeo = func() map[string][2]string {
	m := map[string][2]string{}
	for _, f := range strings.Fields(`AL:01:350 AK:02:995 AZ:04:850 AR:05:720 CA:06:953 CO:08:802 CT:09:061 DE:10:198
		DC:11:200 FL:12:321 GA:13:303 HI:15:968 ID:16:836 IL:17:606 IN:18:462 IA:19:503 KS:20:672 KY:21:402
		LA:22:701 ME:23:041 MD:24:212 MA:25:021 MI:26:482 MN:27:554 MS:28:392 MO:29:631 MT:30:591 NE:31:681
		NV:32:891 NH:33:033 NJ:34:071 NM:35:871 NY:36:100 NC:37:276 ND:38:581 OH:39:432 OK:40:731 OR:41:972
		PA:42:191 RI:44:029 SC:45:292 SD:46:571 TN:47:372 TX:48:782 UT:49:841 VT:50:054 VA:51:232 WA:53:981
		WV:54:253 WI:55:532 WY:56:820 PR:72:009 VI:78:008 GU:66:969 AS:60:967 MP:69:969`) {
		p := strings.Split(f, ":")
		m[p[0]] = [2]string{p[1], p[2]}
	}
	return m
}()

// site is one of the demo's service locations.
type site struct {
	street, city string
	geo          string // last four digits of the geocode
	zip          string // last two digits of the ZIP code
	geography    int    // 2.03.4: 1 urban, 2 suburban, 3 rural
}

var sites = []site{
	{"1200 Harbor Boulevard", "Harbor City", "1182", "51", 1},
	{"455 Mission Street", "Harbor City", "1182", "54", 1},
	{"78 Riverside Drive", "Riverbend", "2304", "60", 2},
	{"2301 Oak Valley Road", "Oak Valley", "9099", "88", 3},
	{"910 Veterans Way", "Harbor City", "1182", "55", 1},
	{"36 Lighthouse Lane", "Port Alder", "2310", "23", 2},
}

// geoFor returns the state, geocode, ZIP code and city of site i for a CoC.
func geoFor(coc string, i int) (state, geocode, zip string, s site) {
	s = sites[i%len(sites)]
	state = strings.ToUpper(coc[:2])
	g, ok := stateGeo[state]
	if !ok {
		g = [2]string{"06", "953"}
	}
	return state, g[0] + s.geo, g[1] + s.zip, s
}
