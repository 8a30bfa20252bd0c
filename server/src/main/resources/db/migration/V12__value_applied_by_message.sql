-- retention removes a message's lifetime-value ledger rows together with the message
CREATE INDEX value_applied_message ON value_applied (message_id);
