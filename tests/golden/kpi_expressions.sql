-- acos
lx_ratio((-coalesce(sum(d."advertising"), 0)), coalesce(sum(d."ad_sales"), 0));
-- acos_t30
lx_ratio((-coalesce(sum(d."advertising~30d"), 0)), coalesce(sum(d."ad_sales~30d"), 0));
-- ad_clicks
coalesce(sum(d."ad_clicks"), 0);
-- ad_conversion
lx_ratio(coalesce(sum(d."ad_orders"), 0), coalesce(sum(d."ad_clicks"), 0));
-- ad_impressions
coalesce(sum(d."ad_impressions"), 0);
-- ad_orders
coalesce(sum(d."ad_orders"), 0);
-- ad_report_spend
coalesce(sum(d."ad_report_spend"), 0);
-- ad_sales
coalesce(sum(d."ad_sales"), 0);
-- ad_spend
(-coalesce(sum(d."advertising"), 0));
-- aged_inventory_share
lx_ratio(coalesce(sum(d."aged_units_181_plus"), 0), coalesce(sum(d."inventory_age_units"), 0));
-- available_units
sum(d."available_units");
-- average_order_value
lx_ratio(coalesce(sum(d."sales"), 0), coalesce(sum(d."orders"), 0));
-- break_even_acos
lx_ratio((coalesce(sum(d."net_profit"), 0) + (-coalesce(sum(d."advertising"), 0))), coalesce(sum(d."sales"), 0));
-- cogs
(-coalesce(sum(d."cogs"), 0));
-- contribution_margin
lx_ratio((coalesce(sum(d."net_profit"), 0) + (-coalesce(sum(d."overhead"), 0))), coalesce(sum(d."sales"), 0));
-- contribution_profit
(coalesce(sum(d."net_profit"), 0) + (-coalesce(sum(d."overhead"), 0)));
-- cpc
lx_ratio(coalesce(sum(d."ad_report_spend"), 0), coalesce(sum(d."ad_clicks"), 0));
-- ctr
lx_ratio(coalesce(sum(d."ad_clicks"), 0), coalesce(sum(d."ad_impressions"), 0));
-- days_of_supply
(lx_ratio(sum(d."available_units"), coalesce(sum(d."units_shipped_t30"), 0)) * 30);
-- duties_cost
(-coalesce(sum(d."duties"), 0));
-- freight_cost
(-coalesce(sum(d."logistics"), 0));
-- fulfillment_cost
(-coalesce(sum(d."fulfillment"), 0));
-- fulfillment_per_unit
lx_ratio((-coalesce(sum(d."fulfillment"), 0)), coalesce(sum(d."units"), 0));
-- gmv
(coalesce(sum(d."sales"), 0) + coalesce(sum(d."other_revenue"), 0));
-- gross_margin
lx_ratio(((((coalesce(sum(d."sales"), 0) + coalesce(sum(d."other_revenue"), 0)) + coalesce(sum(d."promotions"), 0)) + coalesce(sum(d."refunds"), 0)) - (-coalesce(sum(d."cogs"), 0))), coalesce(sum(d."sales"), 0));
-- gross_profit
((((coalesce(sum(d."sales"), 0) + coalesce(sum(d."other_revenue"), 0)) + coalesce(sum(d."promotions"), 0)) + coalesce(sum(d."refunds"), 0)) - (-coalesce(sum(d."cogs"), 0)));
-- inbound_cost
(-coalesce(sum(d."inbound"), 0));
-- inventory_turnover
lx_ratio(lx_ratio((coalesce(sum(d."units_shipped_t30"), 0) * 365), 30), sum(d."available_units"));
-- logistics_cost
(((-coalesce(sum(d."inbound"), 0)) + (-coalesce(sum(d."logistics"), 0))) + (-coalesce(sum(d."duties"), 0)));
-- net_margin
lx_ratio(coalesce(sum(d."net_profit"), 0), coalesce(sum(d."sales"), 0));
-- net_profit
coalesce(sum(d."net_profit"), 0);
-- net_profit_cny
coalesce(sum(d."net_profit@CNY"), 0);
-- net_profit_t30
coalesce(sum(d."net_profit~30d"), 0);
-- net_sales
((coalesce(sum(d."sales"), 0) + coalesce(sum(d."promotions"), 0)) + coalesce(sum(d."refunds"), 0));
-- orders
coalesce(sum(d."orders"), 0);
-- other_revenue
coalesce(sum(d."other_revenue"), 0);
-- overhead_cost
(-coalesce(sum(d."overhead"), 0));
-- platform_fees
(-coalesce(sum(d."platform_fees"), 0));
-- profit_before_ads
(coalesce(sum(d."net_profit"), 0) + (-coalesce(sum(d."advertising"), 0)));
-- profit_per_unit
lx_ratio(coalesce(sum(d."net_profit"), 0), coalesce(sum(d."units"), 0));
-- promotions
coalesce(sum(d."promotions"), 0);
-- referral_fee_pct
lx_ratio((-coalesce(sum(d."referral_fees"), 0)), coalesce(sum(d."sales"), 0));
-- referral_fees
(-coalesce(sum(d."referral_fees"), 0));
-- refund_rate
lx_ratio(coalesce(sum(d."units_refunded"), 0), coalesce(sum(d."units"), 0));
-- refunds
coalesce(sum(d."refunds"), 0);
-- reimbursements
coalesce(sum(d."reimbursements"), 0);
-- return_rate
lx_ratio(coalesce(sum(d."returned_units"), 0), coalesce(sum(d."units"), 0));
-- return_rate_t30
lx_ratio(coalesce(sum(d."returned_units~30d"), 0), coalesce(sum(d."units~30d"), 0));
-- returned_units
coalesce(sum(d."returned_units"), 0);
-- roas
lx_ratio(coalesce(sum(d."ad_sales"), 0), (-coalesce(sum(d."advertising"), 0)));
-- roi
lx_ratio(coalesce(sum(d."net_profit"), 0), (-coalesce(sum(d."cogs"), 0)));
-- sales
coalesce(sum(d."sales"), 0);
-- sales_t30
coalesce(sum(d."sales~30d"), 0);
-- sell_through
lx_ratio(coalesce(sum(d."units"), 0), (coalesce(sum(d."units"), 0) + sum(d."available_units")));
-- sessions
coalesce(sum(d."sessions"), 0);
-- storage_cost
(-coalesce(sum(d."storage"), 0));
-- storage_per_unit
lx_ratio((-coalesce(sum(d."storage"), 0)), coalesce(sum(d."units"), 0));
-- tacos
lx_ratio((-coalesce(sum(d."advertising"), 0)), coalesce(sum(d."sales"), 0));
-- unit_session_pct
lx_ratio(coalesce(sum(d."units_ordered"), 0), coalesce(sum(d."sessions"), 0));
-- units
coalesce(sum(d."units"), 0);
-- units_ordered
coalesce(sum(d."units_ordered"), 0);
-- units_refunded
coalesce(sum(d."units_refunded"), 0);
-- units_t30
coalesce(sum(d."units~30d"), 0);
-- unsellable_return_share
lx_ratio(coalesce(sum(d."unsellable_units"), 0), coalesce(sum(d."returned_units"), 0));
-- unsellable_units
coalesce(sum(d."unsellable_units"), 0);
