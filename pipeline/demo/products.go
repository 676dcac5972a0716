package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// productLines are the manufacturer's product lines, in report order.
var productLines = []string{"power-tools", "measuring", "lighting", "smart-home"}

// product is one of the manufacturer's SKUs.
type product struct {
	sku         string
	line        int // index in productLines
	gtin        string
	description string
	listPrice   float64 // EUR, before the reseller's discount
	weight      float64 // how often it appears on a line, within its product line
	// launch is the index in world.months of the first month it is sold; 0 for the
	// products sold over the whole history.
	launch int
	// CHARLIE's own item code and description for it (products.csv cross-references).
	charlieSKU, charlieDescription string
}

// catalogue is the manufacturer's price list: ten SKUs per product line. Two
// descriptions carry a euro sign, so that Windows-1252 files hold one (byte 0x80).
var catalogue = []struct {
	sku, description string
	price            float64
}{
	{"PT-1001", "Perceuse-visseuse 18 V sans fil, 2 batteries", 189},
	{"PT-1002", "Perforateur SDS-Plus 800 W", 149},
	{"PT-1003", "Meuleuse d'angle 125 mm 1 100 W", 89},
	{"PT-1004", "Scie circulaire 190 mm 1 400 W", 159},
	{"PT-1005", "Scie sauteuse pendulaire 650 W", 99},
	{"PT-1006", "Visseuse à chocs 18 V", 169},
	{"PT-1007", "Ponceuse excentrique 125 mm", 79},
	{"PT-1008", "Batterie 18 V 5,0 Ah", 89},
	{"PT-1009", "Chargeur rapide 18 V", 49},
	{"PT-1010", "Coffret perceuse + visseuse 18 V – 30 € remboursés", 329},
	{"MS-2001", "Niveau laser croix vert 15 m", 199},
	{"MS-2002", "Laser rotatif extérieur 500 m", 899},
	{"MS-2003", "Télémètre laser 50 m", 89},
	{"MS-2004", "Détecteur de matériaux", 129},
	{"MS-2005", "Multimètre numérique CAT III", 59},
	{"MS-2006", "Niveau à bulle 60 cm", 25},
	{"MS-2007", "Trépied télescopique 1,6 m", 49},
	{"MS-2008", "Caméra thermique 160×120", 449},
	{"MS-2009", "Mètre ruban 8 m", 15},
	{"MS-2010", "Testeur de tension bipolaire", 39},
	{"LG-3001", "Ampoule LED E27 806 lm (lot de 6)", 19},
	{"LG-3002", "Spot encastrable LED 6 W", 12},
	{"LG-3003", "Projecteur LED de chantier 50 W", 69},
	{"LG-3004", "Réglette LED étanche 1,5 m", 45},
	{"LG-3005", "Hublot LED à détecteur", 29},
	{"LG-3006", "Ruban LED 5 m 24 V", 39},
	{"LG-3007", "Baladeuse LED rechargeable", 35},
	{"LG-3008", "Dalle LED 600×600 40 W", 49},
	{"LG-3009", "Lampe frontale 500 lm", 29},
	{"LG-3010", "Pack 10 spots LED – 20 € de remise immédiate", 99},
	{"SH-4001", "Thermostat connecté Wi-Fi", 149},
	{"SH-4002", "Prise connectée (lot de 4)", 59},
	{"SH-4003", "Caméra IP extérieure 1080p", 119},
	{"SH-4004", "Détecteur de fumée connecté", 45},
	{"SH-4005", "Interrupteur connecté sans neutre", 39},
	{"SH-4006", "Module volet roulant", 49},
	{"SH-4007", "Routeur Wi-Fi 6 maillé (pack de 3)", 249},
	{"SH-4008", "Switch PoE 8 ports", 129},
	{"SH-4009", "Sonnette vidéo connectée", 99},
	{"SH-4010", "Passerelle domotique Matter (nouveauté)", 89},
}

// newProduct is the SKU launched during the history, to follow its adoption.
const newProduct = "SH-4010"

// gtinPrefix is the manufacturer's GS1 company prefix (France: 300-379).
const gtinPrefix = "37012345"

// newProducts builds the catalogue; launch is the month index of the new product's launch.
func newProducts(seed uint64, launch int) []*product {
	r := stream(seed, "products", 0)
	code := 604000 + r.IntN(3000)
	ps := make([]*product, len(catalogue))
	for i, c := range catalogue {
		code += 1 + r.IntN(97)
		p := &product{
			sku:                c.sku,
			line:               i / 10,
			gtin:               gtin13(gtinPrefix + strings.TrimLeft(c.sku, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-")),
			description:        c.description,
			listPrice:          c.price,
			weight:             1 / math.Sqrt(c.price),
			charlieSKU:         fmt.Sprint(code),
			charlieDescription: truncate(strings.ToUpper(ascii(c.description)), 25),
		}
		if c.sku == newProduct {
			p.launch = launch
			p.weight *= 3
		}
		ps[i] = p
	}
	return ps
}

// gtin13 appends the GS1 check digit to 12 digits.
func gtin13(digits12 string) string {
	sum := 0
	for i, c := range digits12 {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return digits12 + fmt.Sprint((10-sum%10)%10)
}

// pickProduct draws what a partner of trade t buys in month: a product line by the trade's
// mix, then a product of that line already launched, cheap ones more often.
func pickProduct(r *rand.Rand, ps []*product, t *trade, month int) *product {
	line := weighted(r, t.mix[:])
	sold := func(p *product) bool { return p.line == line && p.launch <= month }
	total := 0.0
	for _, p := range ps {
		if sold(p) {
			total += p.weight
		}
	}
	u := r.Float64() * total
	var last *product
	for _, p := range ps {
		if sold(p) {
			if u < p.weight {
				return p
			}
			u -= p.weight
			last = p
		}
	}
	return last
}
