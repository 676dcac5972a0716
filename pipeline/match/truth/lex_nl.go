package truth

// Dutch: the Netherlands and Flanders.

var langNL = &language{
	code: "nl",
	templates: map[string][]template{
		"elec": tpl("Elektrotechniek|{S}", "{S}|Elektrotechniek", "Installatiebedrijf|{S}", "{S}|Installatietechniek",
			"Elektro|{S}", "{A}|Elektro"),
		"hardware": tpl("IJzerhandel|{S}", "{S}|IJzerwaren", "IJzerwaren|{S}", "Gereedschappen|{S}"),
		"diy":      tpl("Bouwmarkt|{S}", "{S}|Doe-het-zelf", "Klusmarkt|{S}", "{C}|Bouwmarkt"),
		"plumbing": tpl("Loodgietersbedrijf|{S}", "{S}|Loodgieters", "{S}|Sanitair en Verwarming", "Installatiebedrijf|{S}"),
		"it":       tpl("{S}|ICT", "{A}|Automatisering", "{S}|Computers", "{A}|ICT Solutions", "{C}|ICT"),
		"garden":   tpl("Tuincentrum|{S}", "{S}|Hoveniers", "Kwekerij|{S}", "Tuincentrum|{C}"),
		"bike":     tpl("Rijwielhandel|{S}", "Fietsenwinkel|{S}", "{S}|Tweewielers", "{S}|Fietsen"),
		"building": tpl("Bouwmaterialen|{S}", "{S}|Bouwmaterialen", "Houthandel|{S}"),
		"garage":   tpl("Autobedrijf|{S}", "Garage|{S}", "{S}|Auto's"),
		"paint":    tpl("Verfhandel|{S}", "{S}|Verf en Behang", "Drogisterij|{S}"),
	},
	prefixes: []string{"Gebroeders", "Gebr.", "Firma", "Fa."},
	suffixes: []string{"& Zonen", "en Zonen", "& Zn", "~Groep", "en {S2}", "& {S2}"},
	nameAbbr: abbrs("Gebroeders=Gebr.", "en=&", "Firma=Fa.", "Zonen=Zn.", "Elektrotechniek=Elektrotech.",
		"Installatietechniek=Inst.techniek", "Bouwmaterialen=Bouwmat.", "Automatisering=Autom.",
		"Installatiebedrijf=Inst.bedrijf", "Sint=St."),
	addrAbbr: abbrs("-straat=str.", "-laan=ln", "Sint=St.", "Steenweg=Stwg.", "Industrieterrein=Ind.terrein"),
	ofCity:   func(c string) string { return c },
	street:   dutchStreet,
	renames:  []string{"{A} {W}", "{S} Groep", "{W} {C}"},
}

var nlStreetStems = words(`Kerk Dorps Molen Stations School Industrie Hoofd Markt Wilhelmina Juliana Beatrix Oranje Nieuwe
	Lange Korte Haven Konings Prins_Hendrik Bosch Zuid Noord Wester Ooster Linden Eiken Beuken`)

var nlStreetSuffixes = words("straat straat straat weg weg laan plein singel kade dijk")

// dutchStreet writes "Kerkstraat 12", "Industrieweg 4A"; in Belgium also "Steenweg op
// Leuven 120".
func dutchStreet(r *rng, c *city) string {
	var s string
	if c.country.code == "BE" && r.chance(0.12) {
		s = "Steenweg op " + pick(r, []string{"Leuven", "Gent", "Antwerpen", "Brussel", "Mechelen"})
	} else {
		stem := pick(r, nlStreetStems)
		if stem == "Prins_Hendrik" {
			s = "Prins Hendrikstraat"
		} else {
			s = stem + pick(r, nlStreetSuffixes)
		}
	}
	s += " " + itoa(houseNumber(r))
	if r.chance(0.06) {
		s += pick(r, []string{"A", "B", "-1", "bus 2"})
	}
	return s
}

var surnamesNL = names(`De_Jong Jansen De_Vries Van_den_Berg Van_Dijk Bakker Janssen Visser Smit Meijer De_Boer Mulder
	De_Groot Bos Vos Peters Hendriks Van_Leeuwen Dekker Brouwer De_Wit Dijkstra Smits De_Graaf Van_der_Meer Van_der_Linden
	Kok Jacobs De_Haan Vermeulen Van_den_Heuvel Van_der_Veen Van_den_Broek De_Bruijn De_Bruin Van_der_Heijden Schouten Beekman
	Willems Van_Vliet Van_de_Ven Hoekstra Maas Verhoeven Koster Van_Dam Van_der_Wal Prins Blom Huisman Peeters`)

var nearNL = pairs(`Jansen/Janssen Bakker/Backer Visser/Vissers Smit/Smits Peters/Pieters Maas/Maes Bos/Bosch
	Dekker/Decker Mulder/Molder Kok/Kock Prins/Prinsen Blom/Bloem`)

var surnamesBE = names(`Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois Lambert Martin
	Dupont Simon Leclercq Laurent Dumont Renard Lejeune Michel Hermans Aerts Vermeulen Pauwels Stevens De_Clercq
	Lemmens Hendrickx Desmet Leroy Dupuis Lemaire Fontaine Bertrand Denis Vandenberghe Verstraete Declercq Martens
	Cools Van_Damme Coppens Wuyts Segers Vandamme Mathieu Collard`)

var nearBE = pairs(`Peeters/Pieters Maes/Maas Claes/Claeys Wouters/Wolters Janssens/Jansens Mertens/Martens
	Lambert/Lambertz Renard/Renart Dubois/Dubuis Willems/Willemse`)

var formsNL = []*legalForm{
	{short: "B.V.", variants: []string{"BV", "B.V"}, group: "bv", weight: 75},
	{short: "V.O.F.", variants: []string{"VOF", "v.o.f."}, group: "vof", weight: 20},
	{short: "N.V.", variants: []string{"NV"}, group: "nv", weight: 5},
}

// Belgian forms: the same form is spelled in Dutch or French, and the 2019 reform renamed
// BVBA/SPRL into BV/SRL: clerks still write the old names.
var formsBE = []*legalForm{
	{short: "BV", variants: []string{"B.V.", "BVBA", "B.V.B.A."}, group: "bv", weight: 60, lang: "nl"},
	{short: "NV", variants: []string{"N.V."}, group: "nv", weight: 25, lang: "nl"},
	{short: "CommV", variants: []string{"Comm.V."}, group: "comm", weight: 8, lang: "nl"},
	{short: "SRL", variants: []string{"S.R.L.", "SPRL", "S.P.R.L."}, group: "bv", weight: 60, lang: "fr", prefix: true},
	{short: "SA", variants: []string{"S.A."}, group: "nv", weight: 25, lang: "fr", prefix: true},
	{short: "SComm", variants: []string{"SCS"}, group: "comm", weight: 8, lang: "fr", prefix: true},
}

// Dutch cities list the four digits; the world adds the two letters.
const citiesNL = `Amsterdam|1011-1109:14|30
Rotterdam|3011-3089:10|22
's-Gravenhage|2511-2597:9|18
Utrecht|3511-3585:8|12
Eindhoven|5611-5658:6|8
Groningen|9711-9747:5|7
Tilburg|5011-5049:5|7
Almere|1311-1363:5|7
Breda|4811-4839:4|6
Nijmegen|6511-6546:4|6
Apeldoorn|7311-7339:4|5
Haarlem|2011-2037:4|5
Arnhem|6811-6846:4|5
Enschede|7511-7548:4|5
Amersfoort|3811-3829:3|5
Zwolle|8011-8046:3|4
Maastricht|6211-6229:3|4
Leiden|2311-2334:3|4
Dordrecht|3311-3329:3|4
's-Hertogenbosch|5211-5248:3|5`

const citiesBE = `Bruxelles|1000*|20|fr/nl
Schaerbeek|1030|6|fr/nl
Ixelles|1050|5|fr
Anderlecht|1070|6|fr/nl
Antwerpen|2000,2018,2020,2030,2060,2100|25|nl
Gent|9000,9030,9040,9050|15|nl
Charleroi|6000,6001,6010,6020,6030,6040,6060|12|fr
Liège|4000,4020,4030,4031|11|fr
Brugge|8000,8200,8310|6|nl
Namur|5000,5001,5002,5020,5100|6|fr
Leuven|3000,3001,3010,3012|6|nl
Mons|7000,7011,7020,7030|5|fr
Aalst|9300|5|nl
Mechelen|2800|5|nl
Kortrijk|8500|4|nl
Hasselt|3500|4|nl
Oostende|8400|4|nl
Tournai|7500|4|fr
Wavre|1300|3|fr
Sint-Niklaas|9100|4|nl
Genk|3600|4|nl
La Louvière|7100|4|fr
Verviers|4800|3|fr
Arlon|6700|2|fr`
