-- Held-out suite: an HR database in the upper-case, abbreviated style of an older ERP system.
-- Written by hand; never produced by the data generator and never used for training.
CREATE TABLE DEPT (
  DEPT_NO CHAR(4) PRIMARY KEY,
  DEPT_NAME VARCHAR(40) NOT NULL,
  LOC VARCHAR(30),
  COST_CTR INTEGER
);
CREATE TABLE JOB (
  JOB_CD VARCHAR(10) PRIMARY KEY,
  JOB_TITLE VARCHAR(50) NOT NULL,
  MIN_SAL INTEGER,
  MAX_SAL INTEGER
);
CREATE TABLE EMP (
  EMP_NO INTEGER PRIMARY KEY,
  FIRST_NM VARCHAR(30) NOT NULL,
  LAST_NM VARCHAR(30) NOT NULL,
  EMAIL_ADDR VARCHAR(80),
  HIRE_DT DATE NOT NULL,
  JOB_CD VARCHAR(10) REFERENCES JOB(JOB_CD),
  DEPT_NO CHAR(4) REFERENCES DEPT(DEPT_NO),
  MGR_NO INTEGER REFERENCES EMP(EMP_NO),
  SAL INTEGER NOT NULL,
  COMM_PCT REAL,
  TERM_DT DATE
);
CREATE TABLE SAL_HIST (
  EMP_NO INTEGER NOT NULL REFERENCES EMP(EMP_NO),
  EFF_DT DATE NOT NULL,
  SAL INTEGER NOT NULL,
  CHG_RSN VARCHAR(20), -- HIRE | MERIT | PROMO | ADJ
  PRIMARY KEY (EMP_NO, EFF_DT)
);
CREATE TABLE LV_REQ (
  REQ_ID INTEGER PRIMARY KEY,
  EMP_NO INTEGER NOT NULL REFERENCES EMP(EMP_NO),
  LV_TYPE VARCHAR(10) NOT NULL, -- ANNUAL | SICK | PARENTAL | UNPAID
  START_DT DATE NOT NULL,
  END_DT DATE NOT NULL,
  DAYS INTEGER NOT NULL,
  APPR_STAT CHAR(1) NOT NULL -- A approved, P pending, R rejected
);

INSERT INTO DEPT VALUES
  ('D100', 'Executive', 'New York', 1000),
  ('D200', 'Finance', 'New York', 2000),
  ('D300', 'Engineering', 'Austin', 3000),
  ('D400', 'Sales', 'Chicago', 4000),
  ('D500', 'Customer Support', 'Austin', 5000),
  ('D600', 'Research', NULL, NULL);

INSERT INTO JOB VALUES
  ('CEO', 'Chief Executive Officer', 200000, 400000),
  ('FIN_MGR', 'Finance Manager', 110000, 160000),
  ('ACCT', 'Accountant', 60000, 95000),
  ('ENG_MGR', 'Engineering Manager', 140000, 200000),
  ('SWE', 'Software Engineer', 85000, 160000),
  ('SLS_REP', 'Sales Representative', 50000, 90000),
  ('SUP_AGT', 'Support Agent', 40000, 65000);

INSERT INTO EMP VALUES
  (1, 'Margaret', 'Holloway', 'mholloway@corp.example', '2010-02-01', 'CEO', 'D100', NULL, 310000, NULL, NULL),
  (2, 'Victor', 'Almeida', 'valmeida@corp.example', '2013-06-17', 'FIN_MGR', 'D200', 1, 152000, NULL, NULL),
  (3, 'Chloe', 'Nakamura', 'cnakamura@corp.example', '2018-09-03', 'ACCT', 'D200', 2, 78000, NULL, NULL),
  (4, 'Derek', 'Osei', 'dosei@corp.example', '2021-01-11', 'ACCT', 'D200', 2, 64000, NULL, '2023-08-31'),
  (5, 'Priyanka', 'Iyer', 'piyer@corp.example', '2012-04-23', 'ENG_MGR', 'D300', 1, 188000, NULL, NULL),
  (6, 'Stefan', 'Kovac', 'skovac@corp.example', '2016-07-05', 'SWE', 'D300', 5, 145000, NULL, NULL),
  (7, 'Lena', 'Fischer', 'lfischer@corp.example', '2020-03-16', 'SWE', 'D300', 5, 118000, NULL, NULL),
  (8, 'Andre', 'Baptiste', NULL, '2023-05-08', 'SWE', 'D300', 5, 96000, NULL, NULL),
  (9, 'Rachel', 'Goldberg', 'rgoldberg@corp.example', '2015-10-12', 'SLS_REP', 'D400', 1, 72000, 0.12, NULL),
  (10, 'Tomasz', 'Wojcik', 'twojcik@corp.example', '2019-02-25', 'SLS_REP', 'D400', 9, 61000, 0.08, NULL),
  (11, 'Yuki', 'Tanabe', 'ytanabe@corp.example', '2022-11-14', 'SLS_REP', 'D400', 9, 54000, 0.05, '2024-03-15'),
  (12, 'Carlos', 'Mendes', 'cmendes@corp.example', '2017-08-28', 'SUP_AGT', 'D500', 5, 68000, NULL, NULL),
  (13, 'Ayesha', 'Rahman', 'arahman@corp.example', '2023-09-18', 'SUP_AGT', 'D500', 12, 43000, NULL, NULL),
  (14, 'Noah', 'Lindqvist', NULL, '2024-01-08', NULL, NULL, 1, 90000, NULL, NULL);

INSERT INTO SAL_HIST VALUES
  (1, '2010-02-01', 250000, 'HIRE'),
  (1, '2018-01-01', 310000, 'MERIT'),
  (2, '2013-06-17', 120000, 'HIRE'),
  (2, '2019-01-01', 152000, 'PROMO'),
  (3, '2018-09-03', 65000, 'HIRE'),
  (3, '2022-01-01', 78000, 'MERIT'),
  (5, '2012-04-23', 150000, 'HIRE'),
  (5, '2020-01-01', 188000, 'PROMO'),
  (6, '2016-07-05', 98000, 'HIRE'),
  (6, '2019-01-01', 120000, 'MERIT'),
  (6, '2023-01-01', 145000, 'PROMO'),
  (7, '2020-03-16', 105000, 'HIRE'),
  (7, '2023-01-01', 118000, 'MERIT'),
  (9, '2015-10-12', 60000, 'HIRE'),
  (9, '2021-01-01', 72000, 'ADJ'),
  (12, '2017-08-28', 45000, 'HIRE'),
  (12, '2022-01-01', 68000, 'MERIT');

INSERT INTO LV_REQ VALUES
  (1, 3, 'ANNUAL', '2024-01-08', '2024-01-12', 5, 'A'),
  (2, 6, 'SICK', '2024-01-22', '2024-01-23', 2, 'A'),
  (3, 7, 'PARENTAL', '2024-02-05', '2024-04-26', 60, 'A'),
  (4, 10, 'ANNUAL', '2024-03-04', '2024-03-15', 10, 'R'),
  (5, 12, 'SICK', '2024-03-11', '2024-03-11', 1, 'A'),
  (6, 9, 'ANNUAL', '2024-04-15', '2024-04-19', 5, 'P'),
  (7, 6, 'ANNUAL', '2024-05-20', '2024-05-31', 10, 'P'),
  (8, 13, 'UNPAID', '2024-06-03', '2024-06-07', 5, 'A'),
  (9, 3, 'SICK', '2024-06-10', '2024-06-11', 2, 'A'),
  (10, 2, 'ANNUAL', '2024-07-01', '2024-07-12', 10, 'A');
