package truth

import "strings"

// German: Germany and German-speaking Switzerland.

var langDE = &language{
	code: "de",
	templates: map[string][]template{
		"elec": tpl("Elektro|{S}", "{S}|Elektrotechnik", "Elektro-{S}", "{S}|Elektroinstallation", "{A}|Elektrotechnik",
			"Elektrotechnik|{S}", "{S}|Elektro"),
		"hardware": tpl("Eisenwaren|{S}", "{S}|Eisenwaren", "Werkzeughandel|{S}", "Eisenwarenhandlung|{S}"),
		"diy":      tpl("Baumarkt|{S}", "{S}|Baumarkt", "Heimwerkermarkt|{S}", "Bau- und Heimwerkermarkt|{S}"),
		"plumbing": tpl("Sanitär|{S}", "{S}|Haustechnik", "{S}|Sanitär- und Heizungstechnik", "Heizung Sanitär|{S}",
			"{A}|Haustechnik"),
		"it": tpl("{S}|IT-Systemhaus", "{A}|IT-Service", "{S}|Computer", "Systemhaus|{S}", "{A}|Datentechnik",
			"{C}|IT-Service"),
		"garden":   tpl("Gartencenter|{S}", "{S}|Gartencenter", "Baumschule|{S}", "Gärtnerei|{S}", "{S}|Gartentechnik"),
		"bike":     tpl("Fahrrad|{S}", "Zweirad|{S}", "{S}|Fahrradhandel", "Radsport|{S}", "{S}|Zweiradtechnik"),
		"building": tpl("Baustoffe|{S}", "{S}|Baustoffhandel", "Baustoffzentrum|{C}", "Holz und Baustoffe|{S}"),
		"garage":   tpl("Autohaus|{S}", "Kfz-Werkstatt|{S}", "{S}|Autoservice"),
		"paint":    tpl("Farben|{S}", "{S}|Malerbedarf", "Farbenhaus|{S}"),
	},
	prefixes: []string{"Gebrüder", "Gebr.", "Firma"},
	suffixes: []string{"& Söhne", "und Söhne", "& Sohn", "~Handel", "~Vertrieb", "und {S2}", "& {S2}"},
	nameAbbr: abbrs("Gebrüder=Gebr.", "und=&", "Elektrotechnik=E-Technik", "Haustechnik=Haustech.",
		"Sanitär- und Heizungstechnik=SHK-Technik", "Baustoffhandel=Baustoffhdl.", "Söhne=Sö.", "Sankt=St.",
		"Elektroinstallation=Elektroinst."),
	addrAbbr: abbrs("-straße=str.", "-strasse=str.", "Straße=Str.", "Strasse=Str.", "Sankt=St.",
		"Industriegebiet=Ind.-Geb.", "Gewerbegebiet=Gewerbegeb."),
	ofCity:  func(c string) string { return c },
	street:  germanStreet,
	renames: []string{"{A} {W}", "{S} Gruppe", "{W} {C}", "{S} {W} Service"},
}

var deStreetStems = words(`Haupt Bahnhof Schul Garten Dorf Berg Kirch Linden Wald Industrie Goethe Schiller Mozart
	Beethoven Friedrich Wilhelm Kaiser Post Mühlen Birken Eichen Hafen Markt Gewerbe Feld Wiesen Sonnen Rosen
	Lessing Kant Bismarck Uhland Max-Planck- Robert-Koch-`)

var deStreetSuffixes = words("straße straße straße straße weg allee ring gasse platz")

var deStreetWhole = lines(`Am Markt
	Im Gewerbepark
	An der Kirche
	Am Bahnhof
	Berliner Straße
	Frankfurter Straße
	Hamburger Straße
	Münchner Straße
	Industriegebiet Nord
	Gewerbegebiet Süd`)

// germanStreet writes "Hauptstraße 12", "Industriestr. 5a", "Am Markt 3"; Swiss German
// addresses write "strasse".
func germanStreet(r *rng, c *city) string {
	var s string
	if r.chance(0.2) {
		s = pick(r, deStreetWhole)
	} else {
		stem, suffix := pick(r, deStreetStems), pick(r, deStreetSuffixes)
		if strings.HasSuffix(stem, "-") {
			suffix = strings.ToUpper(suffix[:1]) + suffix[1:]
		}
		s = stem + suffix
	}
	s += " " + itoa(houseNumber(r))
	if r.chance(0.08) {
		s += pick(r, []string{"a", "b", "c"})
	}
	if c.country.code == "CH" {
		s = strings.ReplaceAll(s, "ß", "ss")
	}
	return s
}

var surnamesDE = words(`Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
	Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz
	Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz
	Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke
	Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
	Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt
	Sauer Arnold Wolff Pfeiffer`)

var nearDE = pairs(`Müller/Möller Schmidt/Schmitt Meier/Meyer Schneider/Schreiner Fischer/Fischler Weber/Wever
	Becker/Bäcker Hoffmann/Hofmann Koch/Kock Wagner/Wegner Schulz/Schultz Krause/Kraus Lange/Lang Braun/Brauner
	Vogel/Vogl Keller/Kellner`)

var formsDE = []*legalForm{
	{short: "GmbH", variants: []string{"G.m.b.H.", "Gmbh"}, group: "gmbh", weight: 50},
	{short: "GmbH & Co. KG", variants: []string{"GmbH & Co KG", "GmbH u. Co. KG"}, group: "gmbhcokg", weight: 15},
	{short: "KG", variants: []string{"K.G."}, group: "kg", weight: 6},
	{short: "AG", variants: []string{"A.G."}, group: "ag", weight: 5},
	{short: "e.K.", variants: []string{"e. K.", "eK"}, group: "ek", weight: 14},
	{short: "OHG", variants: []string{"oHG"}, group: "ohg", weight: 4},
	{short: "UG (haftungsbeschränkt)", variants: []string{"UG"}, group: "ug", weight: 6},
}

const citiesDE = `Berlin|10115-13599:24|60
Hamburg|20095-22769:14|30
München|80331-81929:14|26
Köln|50667-51149:10|18
Frankfurt am Main|60311-60599:12|13
Stuttgart|70173-70629:10|11
Düsseldorf|40210-40629:9|11
Dortmund|44135-44388:8|10
Essen|45127-45359:8|10
Leipzig|04103-04357:8|10
Bremen|28195-28359:7|10
Dresden|01067-01328:8|9
Hannover|30159-30669:8|9
Nürnberg|90402-90491:7|9
Duisburg|47051-47279:6|8
Bochum|44787-44894:5|7
Wuppertal|42103-42399:5|6
Bielefeld|33602-33739:5|6
Bonn|53111-53229:5|5
Münster|48143-48167:5|5
Karlsruhe|76131-76229:5|5
Mannheim|68159-68309:5|5
Augsburg|86150-86199:5|5
Wiesbaden|65183-65207:4|5
Freiburg im Breisgau|79098-79117:4|4
Kiel|24103-24159:4|4
Regensburg|93047-93059:3|3
Ulm|89073-89081:3|2
Göttingen|37073-37085:3|2
Neuss|41460-41472:3|3
Offenbach am Main|63065-63075:3|2`

var surnamesCH = words(`Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Fischer Gerber Brunner Baumann
	Frei Zimmermann Moser Widmer Wyss Graf Roth Favre Rochat Bonvin Rossi Bernasconi Rey Pittet Morand Berset Jaquet
	Lüthi Zürcher Suter Bühler Egli Kunz Hofer Studer Bachmann`)

var nearCH = pairs(`Meier/Meyer Huber/Hubler Keller/Kellner Müller/Möller Weber/Wever Frei/Frey Rochat/Rochet
	Favre/Fabre Rossi/Rossini Moser/Mosser`)

var formsCH = []*legalForm{
	{short: "AG", variants: []string{"A.G."}, group: "ag", weight: 35, lang: "de"},
	{short: "GmbH", variants: []string{"Gmbh"}, group: "gmbh", weight: 50, lang: "de"},
	{short: "SA", variants: []string{"S.A."}, group: "ag", weight: 35, lang: "fr"},
	{short: "Sàrl", variants: []string{"Sarl", "S.à r.l."}, group: "gmbh", weight: 50, lang: "fr"},
	{short: "SA", variants: []string{"S.A."}, group: "ag", weight: 35, lang: "it"},
	{short: "Sagl", variants: []string{"SAGL"}, group: "gmbh", weight: 50, lang: "it"},
}

const citiesCH = `Zürich|8001-8057:12|40|de
Genève|1201-1209|20|fr
Basel|4001-4059:6|17|de
Lausanne|1003-1018:6|14|fr
Bern|3001-3027:6|13|de
Winterthur|8400-8411:4|11|de
Luzern|6003-6006|8|de
St. Gallen|9000-9016:4|8|de
Lugano|6900-6908:4|6|it
Biel/Bienne|2500-2505|5|de/fr
Fribourg|1700|4|fr
Neuchâtel|2000|3|fr
Sion|1950|3|fr
Schaffhausen|8200|3|de
Zug|6300|3|de`
