-- 002_reports: lines read from EDI files (X12 867, EDIFACT SLSRPT) remember the report
-- they came from (BPT02 / BGM02), so that a later cancellation of that report can
-- remove them.
ALTER TABLE lines ADD COLUMN report_id VARCHAR;
