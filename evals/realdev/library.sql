-- Tuning suite (realdev), NOT held-out: a hand-written public library lending database (snake_case, some abbreviations).
-- Used for tuning decisions (decoding settings, model choice); report numbers on evals/heldout instead.
CREATE TABLE branch (
  branch_id INTEGER PRIMARY KEY,
  branch_nm TEXT NOT NULL,
  city TEXT NOT NULL,
  open_sundays INTEGER NOT NULL DEFAULT 0 -- 1 = open on Sundays
);
CREATE TABLE patron (
  patron_id INTEGER PRIMARY KEY,
  card_no TEXT NOT NULL UNIQUE,
  first_nm TEXT NOT NULL,
  last_nm TEXT NOT NULL,
  email TEXT,
  home_branch_id INTEGER REFERENCES branch(branch_id),
  patron_type TEXT NOT NULL, -- ADULT, JUV (juvenile), SENIOR, STAFF
  joined_dt DATE NOT NULL,
  is_blocked INTEGER NOT NULL DEFAULT 0 -- 1 = borrowing blocked
);
CREATE TABLE title (
  title_id INTEGER PRIMARY KEY,
  isbn TEXT,
  title TEXT NOT NULL,
  author TEXT,
  pub_year INTEGER,
  fmt TEXT NOT NULL, -- BK book, DVD, AUD audiobook, MAG magazine issue
  genre TEXT
);
CREATE TABLE item (
  item_id INTEGER PRIMARY KEY,
  barcode TEXT NOT NULL UNIQUE,
  title_id INTEGER NOT NULL REFERENCES title(title_id),
  branch_id INTEGER NOT NULL REFERENCES branch(branch_id),
  acq_dt DATE,
  status TEXT NOT NULL, -- AVAIL, ON_LOAN, LOST, REPAIR, WITHDRAWN
  price REAL -- replacement price
);
CREATE TABLE loan (
  loan_id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES item(item_id),
  patron_id INTEGER NOT NULL REFERENCES patron(patron_id),
  checkout_dt DATE NOT NULL,
  due_dt DATE NOT NULL,
  return_dt DATE, -- NULL while not returned
  renew_cnt INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE hold_req (
  hold_id INTEGER PRIMARY KEY,
  title_id INTEGER NOT NULL REFERENCES title(title_id),
  patron_id INTEGER NOT NULL REFERENCES patron(patron_id),
  pickup_branch_id INTEGER NOT NULL REFERENCES branch(branch_id),
  placed_dt DATE NOT NULL,
  status TEXT NOT NULL -- W waiting, R ready for pickup, F fulfilled, X cancelled
);
CREATE TABLE fine (
  fine_id INTEGER PRIMARY KEY,
  patron_id INTEGER NOT NULL REFERENCES patron(patron_id),
  loan_id INTEGER REFERENCES loan(loan_id),
  amt REAL NOT NULL,
  reason TEXT NOT NULL, -- OVERDUE, LOST, DAMAGE, CARD (replacement card)
  assessed_dt DATE NOT NULL,
  paid_dt DATE, -- NULL = unpaid
  waived INTEGER NOT NULL DEFAULT 0
);

INSERT INTO branch VALUES
  (1, 'Central Library', 'Springfield', 1),
  (2, 'Eastside Branch', 'Springfield', 0),
  (3, 'Maple Grove', 'Maple Grove', 1),
  (4, 'Riverside', 'Riverton', 0),
  (5, 'Oak Hill', 'Springfield', 0);

INSERT INTO patron VALUES
  (1, 'P100231', 'Maria', 'Lopez', 'mlopez@mail.com', 1, 'ADULT', '2015-03-12', 0),
  (2, 'P100232', 'James', 'Carter', NULL, 1, 'ADULT', '2018-07-01', 0),
  (3, 'P100233', 'Aisha', 'Khan', 'akhan@mail.com', 2, 'ADULT', '2020-01-15', 0),
  (4, 'P100234', 'Tommy', 'Nguyen', NULL, 2, 'JUV', '2021-09-03', 0),
  (5, 'P100235', 'Helen', 'Brooks', 'hbrooks@mail.com', 3, 'SENIOR', '2009-05-20', 0),
  (6, 'P100236', 'Robert', 'Klein', 'rklein@mail.com', 1, 'SENIOR', '2011-11-11', 1),
  (7, 'P100237', 'Sofia', 'Rossi', 'srossi@mail.com', 4, 'ADULT', '2022-02-28', 0),
  (8, 'P100238', 'Liam', 'O''Brien', 'lobrien@mail.com', 3, 'JUV', '2023-06-10', 0),
  (9, 'P100239', 'Grace', 'Chen', 'gchen@mail.com', 1, 'STAFF', '2017-04-04', 0),
  (10, 'P100240', 'Daniel', 'Weiss', NULL, 5, 'ADULT', '2019-08-19', 1),
  (11, 'P100241', 'Priya', 'Patel', 'ppatel@mail.com', 5, 'ADULT', '2023-01-09', 0),
  (12, 'P100242', 'Ethan', 'Miller', 'emiller@mail.com', 2, 'JUV', '2022-10-30', 0),
  (13, 'P100243', 'Olga', 'Ivanova', NULL, 4, 'SENIOR', '2014-12-01', 0),
  (14, 'P100244', 'Noah', 'Johnson', 'njohnson@mail.com', 1, 'ADULT', '2024-03-05', 0),
  (15, 'P100245', 'Chloe', 'Martin', 'cmartin@mail.com', NULL, 'ADULT', '2024-01-22', 0),
  (16, 'P100246', 'Samuel', 'Green', 'sgreen@mail.com', 3, 'ADULT', '2016-06-14', 0),
  (17, 'P100247', 'Fatima', 'Ali', NULL, 2, 'ADULT', '2021-05-07', 0),
  (18, 'P100248', 'Lucas', 'Silva', 'lsilva@mail.com', 4, 'STAFF', '2020-09-21', 0),
  (19, 'P100249', 'Emma', 'Wilson', 'ewilson@mail.com', 1, 'JUV', '2024-07-15', 0),
  (20, 'P100250', 'George', 'Adams', NULL, 5, 'SENIOR', '2010-02-02', 0),
  (21, 'P100251', 'Hannah', 'Schmidt', 'hschmidt@mail.com', 2, 'ADULT', '2024-05-30', 0),
  (22, 'P100252', 'Victor', 'Moreau', NULL, 3, 'ADULT', '2023-08-08', 0);

INSERT INTO title VALUES
  (1, '9780743273565', 'The Great Gatsby', 'F. Scott Fitzgerald', 1925, 'BK', 'Fiction'),
  (2, '9780061120084', 'To Kill a Mockingbird', 'Harper Lee', 1960, 'BK', 'Fiction'),
  (3, '9780451524935', '1984', 'George Orwell', 1949, 'BK', 'Fiction'),
  (4, '9780525559474', 'The Midnight Library', 'Matt Haig', 2020, 'BK', 'Fiction'),
  (5, '9780593135204', 'Project Hail Mary', 'Andy Weir', 2021, 'BK', 'Science Fiction'),
  (6, '9780553418026', 'The Martian', 'Andy Weir', 2014, 'BK', 'Science Fiction'),
  (7, '9780441172719', 'Dune', 'Frank Herbert', 1965, 'BK', 'Science Fiction'),
  (8, '9780062316097', 'Sapiens', 'Yuval Noah Harari', 2015, 'BK', 'History'),
  (9, '9781501135910', 'Educated', 'Tara Westover', 2018, 'BK', 'Biography'),
  (10, '9780735211292', 'Atomic Habits', 'James Clear', 2018, 'BK', 'Self-Help'),
  (11, '9780307387899', 'The Road', 'Cormac McCarthy', 2006, 'BK', 'Fiction'),
  (12, NULL, 'Dune: Part One', 'Denis Villeneuve', 2021, 'DVD', 'Science Fiction'),
  (13, NULL, 'Oppenheimer', 'Christopher Nolan', 2023, 'DVD', 'History'),
  (14, NULL, 'Finding Nemo', 'Andrew Stanton', 2003, 'DVD', 'Children'),
  (15, '9780593395608', 'Project Hail Mary (audio)', 'Andy Weir', 2021, 'AUD', 'Science Fiction'),
  (16, '9780739357781', 'Becoming (audio)', 'Michelle Obama', 2018, 'AUD', 'Biography'),
  (17, NULL, 'National Geographic - March 2024', NULL, 2024, 'MAG', 'Science'),
  (18, NULL, 'The Economist - 2024-05-04', NULL, 2024, 'MAG', 'News'),
  (19, '9780439708180', 'Harry Potter and the Sorcerer''s Stone', 'J.K. Rowling', 1997, 'BK', 'Children'),
  (20, '9780439064873', 'Harry Potter and the Chamber of Secrets', 'J.K. Rowling', 1998, 'BK', 'Children'),
  (21, '9780064400558', 'Charlotte''s Web', 'E.B. White', 1952, 'BK', 'Children'),
  (22, '9780385490818', 'The Handmaid''s Tale', 'Margaret Atwood', 1985, 'BK', 'Fiction'),
  (23, '9780143127550', 'Everything I Never Told You', 'Celeste Ng', 2014, 'BK', 'Fiction'),
  (24, '9781982137274', 'The Vanishing Half', 'Brit Bennett', 2020, 'BK', 'Fiction'),
  (25, '9780316769488', 'The Catcher in the Rye', 'J.D. Salinger', 1951, 'BK', NULL);

INSERT INTO item VALUES
  (1, '31000101', 1, 1, '2012-04-10', 'AVAIL', 12.99),
  (2, '31000102', 1, 2, '2015-09-01', 'AVAIL', 12.99),
  (3, '31000103', 2, 1, '2010-01-20', 'ON_LOAN', 14.50),
  (4, '31000104', 3, 1, '2011-06-15', 'AVAIL', 9.99),
  (5, '31000105', 3, 3, '2019-03-02', 'LOST', 9.99),
  (6, '31000106', 4, 1, '2021-02-11', 'ON_LOAN', 26.00),
  (7, '31000107', 4, 2, '2021-02-11', 'AVAIL', 26.00),
  (8, '31000108', 4, 5, '2021-03-05', 'ON_LOAN', 26.00),
  (9, '31000109', 5, 1, '2021-05-10', 'ON_LOAN', 28.99),
  (10, '31000110', 5, 3, '2021-05-10', 'AVAIL', 28.99),
  (11, '31000111', 6, 4, '2015-01-08', 'AVAIL', 15.00),
  (12, '31000112', 7, 1, '2008-09-09', 'REPAIR', 10.99),
  (13, '31000113', 7, 4, '2020-11-30', 'AVAIL', 18.00),
  (14, '31000114', 8, 1, '2016-02-14', 'AVAIL', 24.95),
  (15, '31000115', 8, 2, '2016-02-14', 'AVAIL', 24.95),
  (16, '31000116', 9, 3, '2018-04-01', 'ON_LOAN', 28.00),
  (17, '31000117', 10, 1, '2019-01-05', 'ON_LOAN', 27.00),
  (18, '31000118', 10, 5, '2019-01-05', 'AVAIL', 27.00),
  (19, '31000119', 11, 2, '2007-03-03', 'AVAIL', 15.95),
  (20, '31000120', 12, 1, '2022-03-15', 'AVAIL', 19.99),
  (21, '31000121', 13, 1, '2024-01-10', 'ON_LOAN', 24.99),
  (22, '31000122', 13, 3, '2024-01-10', 'AVAIL', 24.99),
  (23, '31000123', 14, 2, '2004-05-05', 'REPAIR', 14.99),
  (24, '31000124', 15, 1, '2021-06-01', 'AVAIL', 35.00),
  (25, '31000125', 16, 4, '2019-02-02', 'AVAIL', 40.00),
  (26, '31000126', 17, 1, '2024-03-01', 'AVAIL', NULL),
  (27, '31000127', 19, 1, '2000-09-01', 'AVAIL', 8.99),
  (28, '31000128', 19, 3, '2001-09-01', 'LOST', 8.99),
  (29, '31000129', 19, 5, '2018-10-10', 'ON_LOAN', 10.99),
  (30, '31000130', 20, 1, '2000-09-01', 'AVAIL', 8.99),
  (31, '31000131', 21, 2, '1999-06-06', 'AVAIL', NULL),
  (32, '31000132', 22, 1, '2017-07-07', 'AVAIL', 16.00),
  (33, '31000133', 22, 4, '2019-08-08', 'ON_LOAN', 16.00),
  (34, '31000134', 23, 3, '2015-05-05', 'AVAIL', 16.00),
  (35, '31000135', 25, 2, '1998-01-01', 'WITHDRAWN', 7.99);

INSERT INTO loan VALUES
  (1, 1, 1, '2023-11-02', '2023-11-23', '2023-11-20', 0),
  (2, 4, 2, '2023-11-15', '2023-12-06', '2023-12-10', 0),
  (3, 7, 3, '2023-12-01', '2023-12-22', '2023-12-18', 0),
  (4, 20, 6, '2023-12-05', '2023-12-12', '2024-01-09', 0),
  (5, 14, 5, '2023-12-10', '2024-01-21', '2024-01-15', 1),
  (6, 27, 4, '2023-12-20', '2024-01-10', '2024-01-08', 0),
  (7, 11, 7, '2024-01-03', '2024-01-24', '2024-01-22', 0),
  (8, 19, 16, '2024-01-05', '2024-01-26', '2024-02-02', 0),
  (9, 10, 5, '2024-01-18', '2024-02-29', '2024-02-20', 1),
  (10, 13, 13, '2024-01-20', '2024-02-10', '2024-02-09', 0),
  (11, 24, 9, '2024-01-25', '2024-02-15', '2024-02-14', 0),
  (12, 28, 8, '2024-02-01', '2024-02-22', NULL, 0),
  (13, 2, 11, '2024-02-03', '2024-02-24', '2024-02-20', 0),
  (14, 22, 1, '2024-02-10', '2024-02-17', '2024-02-16', 0),
  (15, 32, 14, '2024-03-06', '2024-03-27', '2024-03-25', 0),
  (16, 18, 10, '2024-03-08', '2024-03-29', '2024-04-30', 0),
  (17, 25, 13, '2024-03-10', '2024-04-21', '2024-04-18', 1),
  (18, 30, 12, '2024-03-12', '2024-04-02', '2024-04-01', 0),
  (19, 34, 16, '2024-03-15', '2024-04-05', '2024-04-12', 0),
  (20, 1, 3, '2024-03-20', '2024-04-10', '2024-04-09', 0),
  (21, 23, 4, '2024-03-22', '2024-03-29', '2024-04-02', 0),
  (22, 31, 12, '2024-04-01', '2024-04-22', '2024-04-20', 0),
  (23, 4, 7, '2024-04-02', '2024-04-23', '2024-04-23', 0),
  (24, 12, 2, '2024-04-05', '2024-04-26', '2024-04-25', 0),
  (25, 26, 9, '2024-04-08', '2024-04-29', '2024-04-10', 0),
  (26, 7, 17, '2024-04-10', '2024-05-01', '2024-04-30', 0),
  (27, 14, 18, '2024-04-15', '2024-05-06', '2024-05-02', 0),
  (28, 11, 1, '2024-04-20', '2024-05-11', '2024-05-10', 0),
  (29, 2, 15, '2024-04-25', '2024-05-16', '2024-05-14', 0),
  (30, 13, 20, '2024-05-01', '2024-05-22', '2024-05-20', 0),
  (31, 3, 1, '2024-05-06', '2024-05-27', NULL, 0),
  (32, 6, 3, '2024-05-10', '2024-06-21', NULL, 1),
  (33, 8, 11, '2024-05-12', '2024-06-02', NULL, 0),
  (34, 9, 14, '2024-05-15', '2024-06-05', NULL, 0),
  (35, 16, 5, '2024-05-20', '2024-06-10', NULL, 0),
  (36, 17, 9, '2024-05-25', '2024-06-15', NULL, 0),
  (37, 21, 16, '2024-05-28', '2024-06-04', NULL, 0),
  (38, 29, 19, '2024-06-01', '2024-06-22', NULL, 0),
  (39, 33, 7, '2024-06-03', '2024-06-24', NULL, 0),
  (40, 10, 17, '2024-05-02', '2024-05-23', '2024-05-21', 0);

INSERT INTO hold_req VALUES
  (1, 4, 7, 1, '2024-04-01', 'F'),
  (2, 5, 2, 1, '2024-05-01', 'W'),
  (3, 5, 12, 2, '2024-05-03', 'W'),
  (4, 5, 16, 3, '2024-05-10', 'W'),
  (5, 13, 1, 1, '2024-02-01', 'F'),
  (6, 13, 11, 5, '2024-05-20', 'R'),
  (7, 10, 14, 1, '2024-05-26', 'W'),
  (8, 19, 4, 2, '2024-03-01', 'X'),
  (9, 9, 13, 4, '2024-05-21', 'W'),
  (10, 24, 3, 2, '2024-05-15', 'W'),
  (11, 24, 5, 3, '2024-05-16', 'W'),
  (12, 24, 21, 2, '2024-06-01', 'W'),
  (13, 22, 18, 4, '2024-05-30', 'R'),
  (14, 2, 20, 5, '2024-05-08', 'W'),
  (15, 7, 9, 1, '2024-04-12', 'X');

INSERT INTO fine VALUES
  (1, 2, 2, 1.00, 'OVERDUE', '2023-12-10', '2023-12-15', 0),
  (2, 6, 4, 5.40, 'OVERDUE', '2024-01-09', NULL, 0),
  (3, 16, 8, 1.75, 'OVERDUE', '2024-02-02', '2024-02-10', 0),
  (4, 8, 12, 8.99, 'LOST', '2024-04-01', NULL, 0),
  (5, 10, 16, 7.75, 'OVERDUE', '2024-04-30', NULL, 0),
  (6, 16, 19, 1.75, 'OVERDUE', '2024-04-12', NULL, 0),
  (7, 4, 21, 1.00, 'OVERDUE', '2024-04-02', NULL, 1),
  (8, 4, 21, 10.00, 'DAMAGE', '2024-04-02', '2024-04-20', 0),
  (9, 2, 24, 5.00, 'DAMAGE', '2024-04-25', NULL, 1),
  (10, 6, NULL, 2.00, 'CARD', '2023-09-14', NULL, 0),
  (11, 10, NULL, 2.00, 'CARD', '2024-02-12', '2024-02-12', 0),
  (12, 20, NULL, 2.00, 'CARD', '2024-05-05', NULL, 0);
