-- The benchmark report's monthly aggregation, in DuckDB: per KPI and month, over all teams and
-- per team, what each configured KPI's aggregation needs (the sum, the count, the median of the
-- quiz scores, the NPS points of the recommendation scores). $source is read_csv(...) or
-- read_parquet(...) of the export.
SELECT
    kpi,
    team,
    date_trunc('month', "date") AS month,
    count(*) AS rows,
    sum(value) AS total,
    median(value) FILTER (WHERE kpi = 'Quiz score') AS median,
    avg(CASE WHEN value >= 9 THEN 100 WHEN value <= 6 THEN -100 ELSE 0 END)
        FILTER (WHERE kpi = 'Recommend') AS nps
FROM $source
WHERE kpi IN ('Organic sessions', 'Qualified leads', 'Customers', 'Cost per lead',
              'Satisfaction', 'Recommend', 'Course completions', 'Quiz score')
GROUP BY GROUPING SETS ((kpi, month), (kpi, team, month))
ORDER BY kpi, team NULLS FIRST, month
