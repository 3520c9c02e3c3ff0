-- Shared by every typology: each transaction seen from both of its accounts.
-- direction 'out': account_id paid counterparty; 'in': account_id was paid by counterparty.
CREATE OR REPLACE TABLE account_events AS
SELECT from_account AS account_id, to_account AS counterparty, ts, 'out' AS direction, amount,
       id AS txn_id, to_country AS counterparty_country
FROM transactions
UNION ALL
SELECT to_account AS account_id, from_account AS counterparty, ts, 'in' AS direction, amount,
       id AS txn_id, from_country AS counterparty_country
FROM transactions
