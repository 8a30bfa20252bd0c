-- A small CRM table for the SQL cohort example (examples/vip.sql): sqlite3 /tmp/crm.db < examples/customers.sql
CREATE TABLE IF NOT EXISTS customers (email TEXT PRIMARY KEY, first_name TEXT, city TEXT, lifetime_value REAL, churn_score REAL);
DELETE FROM customers;
INSERT INTO customers VALUES
  ('ada@example.com', 'Ada', 'London', 64.90, 0.10),
  ('grace@example.com', 'Grace', 'New York', 15.00, 0.85),
  ('katherine@example.com', 'Katherine', 'Hampton', 210.50, 0.05),
  ('linus@example.com', 'Linus', 'Portland', 88.00, 0.92);
