-- 011_alert_digests: one digest per recipient per run, delivered by SMTP and to the outbox
-- with a durable state per digest (pipeline/notify/deliver.go says how a crash or a
-- refused send is recovered), more alert kinds, mutes and resolved notices.

-- alerts: what the alert says in one line, whether a mute holds it, and the resolved
-- notice still owed to the people who received it.
ALTER TABLE alerts ADD COLUMN summary VARCHAR;
ALTER TABLE alerts ADD COLUMN muted_until DATE;
ALTER TABLE alerts ADD COLUMN resolved_at TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN resolved_notice VARCHAR;   -- pending | sent | NULL

CREATE SEQUENCE IF NOT EXISTS digest_id_seq START 1;

-- alert_digests: one e-mail to one recipient, recorded (with the whole message) before
-- it is written to the outbox or sent, so that it is never lost and never sent twice.
CREATE TABLE alert_digests (
    digest_id       BIGINT PRIMARY KEY,
    run_id          BIGINT,
    recipient       VARCHAR NOT NULL,
    alert_ids       BIGINT[] NOT NULL,
    subject         VARCHAR NOT NULL,
    message_id      VARCHAR NOT NULL,
    outbox_file     VARCHAR NOT NULL,
    message         BLOB NOT NULL,
    status          VARCHAR NOT NULL,      -- pending | written | sending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    created_at      TIMESTAMPTZ NOT NULL,
    written_at      TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ
);

-- alert_digest_items: the alerts a digest carries and why each is in it.
CREATE TABLE alert_digest_items (
    digest_id     BIGINT NOT NULL,
    alert_id      BIGINT NOT NULL,
    notice        VARCHAR NOT NULL,        -- new | worse | repeat | resolved
    severity      VARCHAR NOT NULL,
    deviation_pct DOUBLE
);

COMMENT ON TABLE alerts IS 'One row per alert ever raised, per thing it is about (kind, scope, scope_id, kpi, period): a KPI deviation, a silent loyal partner, a drop against last year, a missing feed, a quarantine spike, a match-rate drop, or sales-in far above sales-out.';
COMMENT ON COLUMN alerts.kind IS 'kpi_deviation, silent_partner, yoy_drop, missing_feed, quarantine_spike, match_rate_drop or sales_in_excess (alerts.rules in the config).';
COMMENT ON COLUMN alerts.scope IS 'total, territory, sales_rep, partner, product_line or distributor (business alerts), or feed.';
COMMENT ON COLUMN alerts.scope_id IS 'The territory, rep, partner, product line or distributor id, or the feed''s name.';
COMMENT ON COLUMN alerts.kpi IS 'What is measured: revenue or units (kpi_deviation, yoy_drop), days_silent, files, quarantine_share, match_rate or sales_in_ratio.';
COMMENT ON COLUMN alerts.period IS 'ytd for KPI and year-over-year alerts, latest for the others.';
COMMENT ON COLUMN alerts.deviation_pct IS 'How far off, percent, as last seen (kpi_deviation: against target; yoy_drop: against last year; match_rate_drop: the drop in points, negative); NULL for the other kinds.';
COMMENT ON COLUMN alerts.sent_deviation_pct IS 'The deviation of the last e-mail: a new one is sent when it got worse by alerts.worsen_points.';
COMMENT ON COLUMN alerts.last_sent IS 'When it was last put in a digest (new, worse, or alerts.repeat_every after the previous one); NULL: never.';
COMMENT ON COLUMN alerts.status IS 'open, or resolved (the rule no longer holds).';
COMMENT ON COLUMN alerts.recipients IS 'Comma-separated addresses of the digests that last carried it.';
COMMENT ON COLUMN alerts.delivery IS 'Before migration 011 (one e-mail per alert): sending while its e-mail was being written, sent once written. Digests now keep their own state in alert_digests.';
COMMENT ON COLUMN alerts.outbox_file IS 'Before migration 011: the .eml file of its last e-mail. See alert_digests.outbox_file.';
COMMENT ON COLUMN alerts.summary IS 'What the alert says, in one line, as last seen.';
COMMENT ON COLUMN alerts.muted_until IS 'The until date of the alerts.mute rule that held it back from e-mails when last seen; NULL when none.';
COMMENT ON COLUMN alerts.resolved_at IS 'When it was last resolved; NULL while open or never resolved.';
COMMENT ON COLUMN alerts.resolved_notice IS 'pending: resolved after being e-mailed, its recipients get a resolved notice in their next digest; sent: they got it; NULL otherwise.';

COMMENT ON TABLE alert_digests IS 'One e-mail to one recipient per run (a digest of their alerts), with its delivery state: pending, written (outbox only, no SMTP relay), sending, sent or failed (retried by the next run). Published without the message itself.';
COMMENT ON COLUMN alert_digests.digest_id IS 'The digest''s id.';
COMMENT ON COLUMN alert_digests.run_id IS 'The run that decided it (runs.run_id).';
COMMENT ON COLUMN alert_digests.recipient IS 'The one address it goes to.';
COMMENT ON COLUMN alert_digests.alert_ids IS 'The alerts it carries (alerts.alert_id), most severe first.';
COMMENT ON COLUMN alert_digests.subject IS 'Its subject, e.g. "[salesout] 2 critical, 3 warnings: FR-IDF revenue -28 % and 4 more".';
COMMENT ON COLUMN alert_digests.message_id IS 'Its Message-ID header: the same on a resend, so that mail clients drop a duplicate.';
COMMENT ON COLUMN alert_digests.outbox_file IS 'Its .eml copy in alerts.outbox.';
COMMENT ON COLUMN alert_digests.message IS 'The whole message (MIME), stored before it is written or sent, so that it is never lost.';
COMMENT ON COLUMN alert_digests.status IS 'pending (recorded), written (in the outbox; no SMTP relay configured), sending (SMTP transaction under way, or interrupted), sent (the relay accepted it) or failed (retried by the next run).';
COMMENT ON COLUMN alert_digests.attempts IS 'SMTP attempts so far.';
COMMENT ON COLUMN alert_digests.last_error IS 'Why the last attempt failed (the relay''s reply or the connection error); NULL when none failed.';
COMMENT ON COLUMN alert_digests.created_at IS 'When it was recorded.';
COMMENT ON COLUMN alert_digests.written_at IS 'When its .eml copy was written to the outbox.';
COMMENT ON COLUMN alert_digests.last_attempt_at IS 'When it was last handed to the SMTP relay.';
COMMENT ON COLUMN alert_digests.sent_at IS 'When the relay accepted it; NULL until then.';
COMMENT ON TABLE alert_digest_items IS 'The alerts each digest carried, and why each was in it.';
COMMENT ON COLUMN alert_digest_items.digest_id IS 'The digest (alert_digests.digest_id).';
COMMENT ON COLUMN alert_digest_items.alert_id IS 'The alert (alerts.alert_id).';
COMMENT ON COLUMN alert_digest_items.notice IS 'new, worse, repeat (alerts.repeat_every passed) or resolved.';
COMMENT ON COLUMN alert_digest_items.severity IS 'The severity the digest gave: warning or critical (resolved: the last one sent).';
COMMENT ON COLUMN alert_digest_items.deviation_pct IS 'The deviation the digest gave, percent; NULL for the alerts without one.';
