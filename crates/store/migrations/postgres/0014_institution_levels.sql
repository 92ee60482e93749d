-- Institutions keep what they serve systemically as the thing itself, not a count: a school's year
-- levels ("1,2,3,4", numbers separated by commas, in order) and a day-care centre's groups (their
-- names, one per line; a name is one line). The count the allocation list gave becomes levels 1 to
-- that count, which an admin corrects where the levels are others (an Oberschule's 1 is year 5).
ALTER TABLE institutions ADD COLUMN year_levels TEXT NOT NULL DEFAULT '';
ALTER TABLE institutions ADD COLUMN day_care_groups TEXT NOT NULL DEFAULT '';
UPDATE institutions SET year_levels = CASE systemic_year_levels
    WHEN 0 THEN ''
    WHEN 1 THEN '1'
    WHEN 2 THEN '1,2'
    WHEN 3 THEN '1,2,3'
    WHEN 4 THEN '1,2,3,4'
    WHEN 5 THEN '1,2,3,4,5'
    WHEN 6 THEN '1,2,3,4,5,6'
    WHEN 7 THEN '1,2,3,4,5,6,7'
    WHEN 8 THEN '1,2,3,4,5,6,7,8'
    WHEN 9 THEN '1,2,3,4,5,6,7,8,9'
    WHEN 10 THEN '1,2,3,4,5,6,7,8,9,10'
    WHEN 11 THEN '1,2,3,4,5,6,7,8,9,10,11'
    WHEN 12 THEN '1,2,3,4,5,6,7,8,9,10,11,12'
    WHEN 13 THEN '1,2,3,4,5,6,7,8,9,10,11,12,13'
    ELSE '' END;
ALTER TABLE institutions DROP COLUMN systemic_year_levels;
