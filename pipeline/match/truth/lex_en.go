package truth

// English: the United Kingdom and Australia (en), the United States and English-speaking
// Canada (us).

// englishTemplates are shared by both spellings; centre is "Centre" or "Center".
func englishTemplates(centre string) map[string][]template {
	return map[string][]template{
		"elec": tpl("{S}|Electrical", "{S}|Electrical Services", "{S}|Electric", "{A}|Electrical", "{C}|Electrical",
			"{S}|Electrical Contractors"),
		"hardware": tpl("{S}|Hardware", "{C}|Hardware", "{S}|Hardware Company", "{S}|Tool Supplies", "{S}|Hardware"),
		"diy":      tpl("{S}|DIY", "{C}|DIY", "{S}|Home Improvement", "{S}|Building and DIY"),
		"plumbing": tpl("{S}|Plumbing", "{S}|Plumbing and Heating", "{A}|Plumbing", "{C}|Plumbing Supplies",
			"{S}|Heating Services"),
		"it": tpl("{S}|IT Solutions", "{A}|Technologies", "{S}|Computer Services", "{C}|IT Services", "{A}|Systems",
			"{S}|Technologies"),
		"garden":   tpl("{S}|Garden "+centre, "{C}|Garden "+centre, "{S}|Nurseries", "{S}|Landscape Supplies"),
		"bike":     tpl("{S}|Cycles", "{C}|Cycles", "{S}|Bike Shop", "{S}|Bicycles", "{C}|Bike Company"),
		"building": tpl("{S}|Builders Merchants", "{S}|Building Supplies", "{C}|Building Supply", "{S}|Timber and Building Supplies"),
		"garage":   tpl("{S}|Motors", "{S}|Auto Repair", "{C}|Garage"),
		"paint":    tpl("{S}|Paints", "{S}|Decorating "+centre, "{S}|Paint and Decor"),
	}
}

var englishNameAbbr = abbrs("Brothers=Bros", "International=Intl", "and=&", "Company=Co", "Electrical=Elec",
	"Distribution=Distrib", "Services=Svcs", "Saint=St", "Technologies=Tech", "Supplies=Supp", "Hardware=Hdwe",
	"Centre=Ctr", "Center=Ctr", "Contractors=Contr", "Merchants=Mchts")

var englishAddrAbbr = abbrs("Street=St", "Road=Rd", "Avenue=Ave", "Boulevard=Blvd", "Drive=Dr", "Lane=Ln",
	"Industrial Estate=Ind Est", "Business Park=Bus Pk", "Crescent=Cres", "Parkway=Pkwy", "Suite=Ste",
	"Highway=Hwy", "North=N", "South=S", "East=E", "West=W", "Place=Pl", "Court=Ct", "Parade=Pde", "Terrace=Tce")

var englishSuffixes = []string{"& Sons", "and Sons", "Brothers", "Bros", "~& Co", "~International", "~Distribution",
	"and {S2}", "& {S2}"}

var langEN = &language{
	code:      "en",
	templates: englishTemplates("Centre"),
	suffixes:  englishSuffixes,
	nameAbbr:  englishNameAbbr,
	addrAbbr:  englishAddrAbbr,
	ofCity:    func(c string) string { return c },
	street:    britishStreet,
	renames:   []string{"{A} {W}", "{S} Group", "{C} {W}", "{S} {W} Solutions"},
}

var langUS = &language{
	code:      "us",
	templates: englishTemplates("Center"),
	suffixes:  englishSuffixes,
	nameAbbr:  englishNameAbbr,
	addrAbbr:  englishAddrAbbr,
	ofCity:    func(c string) string { return c },
	street:    americanStreet,
	renames:   []string{"{A} {W}", "{S} Group", "{C} {W}", "{S} {W} Solutions"},
}

var britishStreetNames = words(`High Station Church Victoria Mill London Park Queen King Manor Main North Green New Albert
	York Springfield Grange Chapel Bridge Market Castle Orchard Meadow Windsor George Richmond Kingsway Broad`)

var britishStreetTypes = words("Street Street Street Road Road Road Lane Avenue Way Close Drive Crescent Place Court")

var australianStreetTypes = words("Street Street Street Road Road Parade Highway Drive Avenue Terrace Crescent")

// britishStreet writes "12 High Street" (and "Unit 3/45 Station Road" in Australia).
// Industrial estates are written by the world, which knows their postcodes.
func britishStreet(r *rng, c *city) string {
	if c.country.code == "AU" {
		s := itoa(houseNumber(r)) + " " + pick(r, britishStreetNames) + " " + pick(r, australianStreetTypes)
		if r.chance(0.2) {
			s = "Unit " + itoa(r.between(1, 12)) + "/" + s
		}
		return s
	}
	return itoa(houseNumber(r)) + " " + pick(r, britishStreetNames) + " " + pick(r, britishStreetTypes)
}

var americanStreetNames = words(`Main Oak Maple Pine Cedar Elm Washington Lake Hill Park Commerce Industrial Market Jefferson
	Lincoln Madison Franklin Sunset Ridge River Church Walnut Highland Center 1st 2nd 3rd 5th 7th`)

var americanStreetTypes = words("Street Street Avenue Avenue Boulevard Drive Road Parkway Lane Way Court Highway")

// americanStreet writes "1234 N Main Street, Suite 200".
func americanStreet(r *rng, c *city) string {
	n := houseNumber(r)
	if r.chance(0.6) {
		n = r.between(100, 9999)
	}
	s := itoa(n) + " "
	if r.chance(0.15) {
		s += pick(r, []string{"North", "South", "East", "West"}) + " "
	}
	s += pick(r, americanStreetNames) + " " + pick(r, americanStreetTypes)
	if r.chance(0.15) {
		s += ", Suite " + itoa(r.between(1, 9)*100+r.between(0, 20))
	}
	return s
}

// British industrial estates share one full postcode.
var britishEstates = words("Riverside Northgate Westfield Parkway Meadowbank Lakeside Eastside Brookfield Canalside Oakwood")

var surnamesGB = words(`Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
	Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill
	Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett
	Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan
	Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali
	Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
	Jenkins Murray Dixon Harvey MacDonald Fraser Stewart Reid Paterson`)

var nearEN = pairs(`Smith/Smyth Thompson/Thomson Johnson/Johnston Brown/Browne Clark/Clarke Green/Greene Wilson/Willson
	Harris/Harrison Allen/Allan Stevens/Stephens Reid/Reed Phillips/Philips Mathews/Matthews Gray/Grey Parker/Packer
	Cook/Cooke`)

var surnamesUS = words(`Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
	Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez
	Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
	Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris
	Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
	Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel
	Myers Long Ross Foster Kowalski Schultz Olsen`)

var surnamesCA = words(`Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier Bélanger
	Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron Beaulieu Cloutier Dubé Poirier Smith Brown Wilson
	MacDonald Campbell Stewart Anderson Taylor Martin Thompson Young Wong Li Singh Patel Murray Fraser Johnston Ross
	Robertson Scott`)

var nearCA = pairs(`Roy/Roye Côté/Coste Gagnon/Gagné Morin/Morini Fortin/Fortier Simard/Simart Smith/Smyth
	Brown/Browne Thompson/Thomson Johnston/Johnson`)

var surnamesAU = words(`Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Nguyen Thomas
	Walker Harris Lee Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson Clarke Patel Khan
	Lewis James Phillips Mitchell Turner O'Brien Murphy Campbell Bennett Cook Hughes Stewart McDonald Morris Moore`)

var formsGB = []*legalForm{
	{short: "Ltd", variants: []string{"Limited", "Ltd.", "LTD"}, group: "ltd", weight: 80},
	{short: "PLC", variants: []string{"plc", "P.L.C."}, group: "plc", weight: 5},
	{short: "LLP", variants: []string{"L.L.P."}, group: "llp", weight: 6},
}

var formsUS = []*legalForm{
	{short: "LLC", variants: []string{"L.L.C.", "Llc"}, group: "llc", weight: 45},
	{short: "Inc.", variants: []string{"Inc", "Incorporated"}, group: "inc", weight: 40},
	{short: "Corp.", variants: []string{"Corp", "Corporation"}, group: "corp", weight: 12},
}

var formsCA = []*legalForm{
	{short: "Inc.", variants: []string{"Inc", "Incorporated"}, group: "inc", weight: 60},
	{short: "Ltd.", variants: []string{"Ltd", "Limited"}, group: "ltd", weight: 30, lang: "us"},
	{short: "Ltée", variants: []string{"Limitée", "Ltee"}, group: "ltd", weight: 30, lang: "fr"},
	{short: "Corp.", variants: []string{"Corporation"}, group: "corp", weight: 10},
}

var formsAU = []*legalForm{
	{short: "Pty Ltd", variants: []string{"Pty. Ltd.", "PTY LTD", "Proprietary Limited"}, group: "pty", weight: 85},
	{short: "Ltd", variants: []string{"Limited"}, group: "ltd", weight: 10},
}

// British cities list outward codes; the world adds the inward code.
const citiesGB = `London|EC1A,EC2A,N1,N7,E1,E14,SE1,SE10,SW1A,SW11,W1,W2,NW1,NW10,E15,SE16|60
Birmingham|B1,B2,B3,B4,B5,B6,B7,B9,B10,B11,B12|18
Manchester|M1,M2,M3,M4,M8,M11,M12,M15,M17,M40|14
Leeds|LS1,LS2,LS3,LS4,LS6,LS9,LS10,LS11,LS12|12
Glasgow|G1,G2,G3,G4,G5,G40,G51|10
Liverpool|L1,L2,L3,L8,L13,L24|8
Bristol|BS1,BS2,BS3,BS5,BS11|8
Sheffield|S1,S2,S3,S9|8
Edinburgh|EH1,EH2,EH3,EH6,EH7|8
Leicester|LE1,LE2,LE3,LE4,LE5|6
Coventry|CV1,CV2,CV3,CV6|5
Nottingham|NG1,NG2,NG3,NG7|5
Newcastle upon Tyne|NE1,NE2,NE4,NE6|5
Cardiff|CF10,CF11,CF14,CF24|5
Belfast|BT1,BT2,BT3,BT9|5
Southampton|SO14,SO15,SO16,SO19|4
Reading|RG1,RG2,RG30|4
Norwich|NR1,NR2,NR3|3
Oxford|OX1,OX2,OX4|3
Cambridge|CB1,CB2,CB4|3
York|YO1,YO10,YO30|3
Brighton|BN1,BN2,BN3|3
Exeter|EX1,EX2,EX4|2
Aberdeen|AB10,AB11,AB24|3
Milton Keynes|MK1,MK9,MK12|3`

const citiesUS = `New York|10001,10002,10003,10011,10013,10016,10018,10019,10036|30
Brooklyn|11201,11211,11215,11222,11232,11237|12
Los Angeles|90012,90013,90015,90021,90023,90058|25
Chicago|60601,60605,60607,60608,60611,60614,60618,60622,60632,60639|20
Houston|77002,77003,77007,77008,77020,77040,77055,77092|16
Phoenix|85003,85004,85007,85008,85009,85034,85040|12
Philadelphia|19103,19106,19107,19123,19134|11
San Antonio|78201,78204,78207,78210,78216|10
San Diego|92101,92102,92110,92111,92121|10
Dallas|75201,75204,75207,75212,75220,75235,75247|10
Austin|78701,78702,78704,78745,78751,78758|8
Denver|80202,80204,80205,80216,80223|6
Seattle|98101,98104,98108,98109,98121,98134|6
Boston|02108,02110,02118,02127,02210|6
Atlanta|30303,30308,30312,30318,30336|5
Miami|33125,33127,33130,33137,33142,33166|5
Minneapolis|55401,55403,55405,55413,55414|4
Portland|97201,97205,97209,97214,97217|5
Detroit|48201,48202,48207,48209,48226|5
Nashville|37203,37206,37207,37210|5
Charlotte|28202,28203,28205,28206,28208|5
Springfield|62701,62702,62703|2
Springfield|01103,01104,01105|2
Columbus|43201,43205,43207,43215,43219|6`

// Canadian cities list forward sortation areas; the world adds the local delivery unit.
const citiesCA = `Toronto|M5V,M5A,M4M,M6K,M9W,M1B|30|us
Montréal|H2X,H3B,H2L,H1V,H4N|22|fr
Vancouver|V6B,V5L,V6A,V5Y|12|us
Calgary|T2P,T2G,T2E|10|us
Edmonton|T5J,T6E,T5S|9|us
Ottawa|K1P,K1N,K2P|8|us
Winnipeg|R3C,R2W|6|us
Québec|G1K,G1R,G1N|6|fr
Hamilton|L8P,L8L|5|us
Laval|H7N,H7S|4|fr
Halifax|B3H,B3J|4|us
Mississauga|L5B,L4W,L5T|7|us
Gatineau|J8X,J8Y|3|fr`

const citiesAU = `Sydney|2000,2010,2015,2017,2020,2050|30
Melbourne|3000,3004,3006,3011,3051,3121|28
Brisbane|4000,4006,4101,4113|14
Perth|6000,6004,6017,6100|12
Adelaide|5000,5006,5031|8
Gold Coast|4217,4215|4
Canberra|2600,2601,2609|3
Newcastle|2300,2302|3
Hobart|7000|2
Geelong|3220|2
Darwin|0800,0820|1`
