package notify

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// recipients routes an alert to the owners of its scope:
//   - a feed or data-quality alert (missing feed, quarantine spike, match-rate drop) to
//     alerts.data_owner;
//   - a rep's alert to the rep and their managers; a territory's to its reps and their
//     managers; a partner's to its rep and the rep's manager (of the partner's territory
//     when the rep has one there);
//   - anything else, or anything without a known address, to alerts.default_to.
//
// Addresses are returned bare and lower case (the key of a recipient's digest), sorted.
func (n *notifier) recipients(ctx context.Context, conn *sql.Conn, f finding) ([]string, error) {
	if dataKinds[f.Kind] {
		if to := canonical(n.DataOwner); len(to) > 0 {
			return to, nil
		}
		return canonical(n.DefaultTo), nil
	}
	return Owners(ctx, conn, f.Scope, f.ScopeID, n.DefaultTo)
}

// Owners are the addresses of the people who own a scope: a rep and their manager; a
// territory's reps and their managers; a partner's rep and the rep's manager (from
// reference.reps); else, or when none has a valid address, defaultTo. They are bare,
// lower case and sorted. The business-review e-mails (salesout report --email) go to
// the same people as the alerts.
func Owners(ctx context.Context, conn *sql.Conn, scope, scopeID string, defaultTo []string) ([]string, error) {
	var q string
	switch scope {
	case "sales_rep":
		q = `SELECT email, manager_email FROM reps WHERE sales_rep = ?`
	case "territory":
		q = `SELECT email, manager_email FROM reps WHERE territory = ?`
	case "partner":
		// the rep's row of the partner's territory when the rep has one (a rep on two
		// territories may have a manager per territory), else every row of the rep
		q = `SELECT rp.email, rp.manager_email FROM partners p JOIN reps rp ON rp.sales_rep = p.sales_rep
		     WHERE p.partner_id = ? AND (rp.territory IS NOT DISTINCT FROM p.territory
		        OR NOT EXISTS (SELECT 1 FROM reps r2 WHERE r2.sales_rep = p.sales_rep AND r2.territory IS NOT DISTINCT FROM p.territory))`
	}
	var to []string
	if q != "" {
		rows, err := conn.QueryContext(ctx, q, scopeID)
		if err != nil {
			return nil, fmt.Errorf("recipients: %w", err)
		}
		for rows.Next() {
			var a, b sql.NullString
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			to = append(to, a.String, b.String)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("recipients: %w", err)
		}
	}
	if to = canonical(to); len(to) == 0 {
		to = canonical(defaultTo)
	}
	return to, nil
}

// canonical keeps the bare address of each entry that parses as one address, lower
// case, sorted, without duplicates; an entry that does not parse (reps.csv is data) is
// dropped.
func canonical(list []string) []string {
	var out []string
	for _, s := range list {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "\r\n") {
			continue
		}
		a, err := mail.ParseAddress(s)
		if err != nil {
			continue
		}
		out = append(out, strings.ToLower(a.Address))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
