-- Where each case's parent message lives in the staff Slack channel.
ALTER TABLE cases ADD COLUMN slack_ts TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_slack_ts ON cases(slack_ts) WHERE slack_ts != '';
CREATE INDEX cases_assignee ON cases(assignee, status);
