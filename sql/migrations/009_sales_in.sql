-- 009_sales_in: sales-in against sales-out. The optional reference sales_in (what the
-- manufacturer invoiced to each distributor, month by month), the channel stock it leaves
-- at each distributor, and how fast partners adopt each product
-- (sql/score/channel_stock.sql and sql/score/product_adoption.sql say how).

-- sales_in: reference rows, replaced whole at each load of reference.sales_in; empty when
-- the config gives none. Rows of the same distributor, product and month add up.
CREATE TABLE sales_in (
    distributor  VARCHAR NOT NULL,        -- the distributor's code, as the feeds give it
    sku          VARCHAR,                 -- the manufacturer's SKU; or
    product_line VARCHAR,                 -- a product line (one of the two is given)
    month        DATE NOT NULL,           -- the first day of the month invoiced
    quantity     DECIMAL(18,3) NOT NULL,  -- units invoiced; negative for a credit note or a return to the manufacturer
    amount       DECIMAL(18,2)            -- net amount invoiced, base currency; NULL when not given
);
COMMENT ON TABLE sales_in IS 'Sales-in: what the manufacturer invoiced to each distributor, per month and SKU or product line (reference.sales_in, optional; empty without it). Rows of the same distributor, product and month add up.';
COMMENT ON COLUMN sales_in.distributor IS 'The distributor''s code, as the feeds give it.';
COMMENT ON COLUMN sales_in.sku IS 'The manufacturer''s SKU (its product line comes from products); NULL when the row gives a product line instead.';
COMMENT ON COLUMN sales_in.product_line IS 'The product line, when the row gives one (used when the SKU is not in products or has no product line there).';
COMMENT ON COLUMN sales_in.month IS 'The month invoiced, as its first day.';
COMMENT ON COLUMN sales_in.quantity IS 'Units invoiced in the month; negative for a credit note or a return to the manufacturer.';
COMMENT ON COLUMN sales_in.amount IS 'Net amount invoiced, in the base currency; NULL when not given.';

-- channel_stock: one row per distributor, product line and month at as_of, from the first
-- month with sales-in of that distributor and product line to as_of's month.
CREATE TABLE channel_stock (
    as_of                DATE NOT NULL,
    distributor          VARCHAR NOT NULL,
    product_line         VARCHAR NOT NULL,
    month                DATE NOT NULL,           -- first day of the month
    stock_since          DATE NOT NULL,           -- first month with sales-in: the estimated stock starts at 0 before it
    sales_in_units       DECIMAL(18,3) NOT NULL,  -- sales-in quantity of the month (0 without rows)
    sales_in_amount      DECIMAL(18,2),           -- sales-in amount of the month; NULL when no row gives one
    sales_out_units      DECIMAL(18,3) NOT NULL,  -- sales-out quantity of the month up to as_of, returns included
    sales_out_revenue    DECIMAL(18,2) NOT NULL,  -- sales-out amount_base of the month up to as_of
    stock_movement       DECIMAL(18,3) NOT NULL,  -- sales_in_units - sales_out_units
    estimated_stock      DECIMAL(18,3) NOT NULL,  -- running sum of stock_movement since stock_since
    avg_weekly_sales_out DOUBLE,                  -- sales-out units per week over the stock window ending with the month
    weeks_of_stock       DOUBLE                   -- estimated_stock / avg_weekly_sales_out; NULL without sales-out
);
COMMENT ON TABLE channel_stock IS 'Channel stock per distributor, product line and month at as_of, estimated from sales-in and sales-out: the opening stock is unknown, so the stock is counted from 0 at the first month with sales-in. Empty without reference.sales_in.';
COMMENT ON COLUMN channel_stock.as_of IS 'The date the rows were computed at (--as-of).';
COMMENT ON COLUMN channel_stock.distributor IS 'The distributor''s code.';
COMMENT ON COLUMN channel_stock.product_line IS 'The product line: of the sales-in row''s SKU in products, else the one the row gives; the sales-out lines'' own resolved product line.';
COMMENT ON COLUMN channel_stock.month IS 'The month, as its first day; from stock_since to as_of''s month.';
COMMENT ON COLUMN channel_stock.stock_since IS 'The first month with sales-in for this distributor and product line: the estimated stock is 0 before it.';
COMMENT ON COLUMN channel_stock.sales_in_units IS 'Sales-in quantity of the month (0 when the month has no sales-in row).';
COMMENT ON COLUMN channel_stock.sales_in_amount IS 'Sales-in amount of the month, base currency; NULL when no row of the month gives one.';
COMMENT ON COLUMN channel_stock.sales_out_units IS 'Sales-out quantity of the month up to as_of, returns (negative) included, matched or not.';
COMMENT ON COLUMN channel_stock.sales_out_revenue IS 'Sales-out amount_base of the month up to as_of (a line without an exchange rate adds nothing).';
COMMENT ON COLUMN channel_stock.stock_movement IS 'sales_in_units - sales_out_units: what the month added to (or took from) the channel stock.';
COMMENT ON COLUMN channel_stock.estimated_stock IS 'Running sum of stock_movement from stock_since to the month: the stock at the month''s end if the opening stock was 0 (negative: it was at least that much).';
COMMENT ON COLUMN channel_stock.avg_weekly_sales_out IS 'Sales-out units per week over the stock window (scoring.stock_window_months calendar months ending with the month, up to as_of), 3 decimals.';
COMMENT ON COLUMN channel_stock.weeks_of_stock IS 'estimated_stock / avg_weekly_sales_out, 1 decimal; NULL when the window''s sales-out is not positive.';

-- product_adoption: one row per SKU sold up to as_of: how many partners sold it within N
-- weeks of its first sale.
CREATE TABLE product_adoption (
    as_of                  DATE NOT NULL,
    sku                    VARCHAR NOT NULL,
    product_line           VARCHAR,           -- NULL for a product products does not know
    first_sale             DATE NOT NULL,     -- first sales_out line with quantity > 0, any distributor
    weeks_since_first_sale INTEGER NOT NULL,  -- whole weeks from first_sale to as_of
    partners_4w            BIGINT,            -- partners whose first sale of it is within 4 weeks of first_sale; NULL until 4 weeks elapsed
    partners_8w            BIGINT,
    partners_12w           BIGINT,
    partners_26w           BIGINT,
    partners_52w           BIGINT,
    partners_to_date       BIGINT NOT NULL,   -- partners that sold it up to as_of
    distributors_to_date   BIGINT NOT NULL    -- distributors that sold it up to as_of
);
COMMENT ON TABLE product_adoption IS 'Speed of adoption of each SKU at as_of: from its first sale (any distributor), how many matched partners sold it within 4, 8, 12, 26 and 52 weeks.';
COMMENT ON COLUMN product_adoption.as_of IS 'The date the rows were computed at (--as-of).';
COMMENT ON COLUMN product_adoption.sku IS 'The SKU as sales_out gives it (the manufacturer''s when products resolved it).';
COMMENT ON COLUMN product_adoption.product_line IS 'The SKU''s product line; NULL for a product products does not know.';
COMMENT ON COLUMN product_adoption.first_sale IS 'invoice_date of its first sales_out line with quantity > 0, any distributor, matched or not: the first sale in the data, not necessarily the launch.';
COMMENT ON COLUMN product_adoption.weeks_since_first_sale IS 'Whole weeks from first_sale to as_of.';
COMMENT ON COLUMN product_adoption.partners_4w IS 'Partners (matched) whose first sale of the SKU is within 4 weeks of first_sale (first_sale <= date < first_sale + 28 days); NULL until those 4 weeks have elapsed at as_of.';
COMMENT ON COLUMN product_adoption.partners_8w IS 'As partners_4w, within 8 weeks.';
COMMENT ON COLUMN product_adoption.partners_12w IS 'As partners_4w, within 12 weeks.';
COMMENT ON COLUMN product_adoption.partners_26w IS 'As partners_4w, within 26 weeks.';
COMMENT ON COLUMN product_adoption.partners_52w IS 'As partners_4w, within 52 weeks.';
COMMENT ON COLUMN product_adoption.partners_to_date IS 'Partners (matched) with a sale (quantity > 0) of the SKU up to as_of; a later return does not remove one.';
COMMENT ON COLUMN product_adoption.distributors_to_date IS 'Distributors with a sale (quantity > 0) of the SKU up to as_of.';
