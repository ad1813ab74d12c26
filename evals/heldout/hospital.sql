-- Held-out suite: a hospital database in the terse style of clinical systems (abbreviated names).
-- Written by hand; never produced by the data generator and never used for training.
CREATE TABLE dept (
  dept_cd TEXT PRIMARY KEY,
  dept_desc TEXT NOT NULL,
  flr INTEGER,
  bed_cnt INTEGER
);
CREATE TABLE phys (
  phys_id INTEGER PRIMARY KEY,
  phys_nm TEXT NOT NULL,
  spec_cd TEXT,
  dept_cd TEXT REFERENCES dept(dept_cd),
  hire_dt DATE
);
CREATE TABLE pt_mstr (
  pt_id INTEGER PRIMARY KEY,
  mrn TEXT NOT NULL UNIQUE,
  pt_fname TEXT,
  pt_lname TEXT,
  dob DATE,
  sex_cd CHAR(1),
  ins_plan TEXT
);
CREATE TABLE enc (
  enc_id INTEGER PRIMARY KEY,
  pt_id INTEGER NOT NULL REFERENCES pt_mstr(pt_id),
  attnd_phys_id INTEGER REFERENCES phys(phys_id),
  enc_typ TEXT NOT NULL, -- IP inpatient, OP outpatient, ED emergency
  adm_dt DATE NOT NULL,
  dsch_dt DATE,
  tot_chrg NUMERIC(12,2)
);
CREATE TABLE dx (
  dx_id INTEGER PRIMARY KEY,
  enc_id INTEGER NOT NULL REFERENCES enc(enc_id),
  icd10_cd TEXT NOT NULL,
  dx_desc TEXT,
  prim_flg INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE rx_ord (
  rx_id INTEGER PRIMARY KEY,
  enc_id INTEGER NOT NULL REFERENCES enc(enc_id),
  drug_nm TEXT NOT NULL,
  dose_mg REAL,
  qty INTEGER,
  ord_dt DATE
);

INSERT INTO dept VALUES
  ('CARD', 'Cardiology', 3, 24),
  ('ONC', 'Oncology', 5, 30),
  ('PED', 'Pediatrics', 2, 18),
  ('EMER', 'Emergency Medicine', 1, 40),
  ('ORTH', 'Orthopedics', 4, 20),
  ('NEUR', 'Neurology', 6, NULL);

INSERT INTO phys VALUES
  (1, 'Dr. Amara Okoye', 'CARDIO', 'CARD', '2015-04-01'),
  (2, 'Dr. Felix Brandt', 'ONCO', 'ONC', '2018-09-15'),
  (3, 'Dr. Sofia Marquez', 'PEDS', 'PED', '2020-01-06'),
  (4, 'Dr. Kenji Watanabe', 'EM', 'EMER', '2012-07-20'),
  (5, 'Dr. Laila Haddad', 'ORTHO', 'ORTH', '2019-03-11'),
  (6, 'Dr. Tom Reilly', 'EM', 'EMER', '2021-10-01'),
  (7, 'Dr. Ines Carvalho', 'CARDIO', 'CARD', '2023-02-13'),
  (8, 'Dr. Paul Novak', NULL, NULL, '2024-01-08');

INSERT INTO pt_mstr VALUES
  (1001, 'MRN-000381', 'John', 'Miller', '1956-02-11', 'M', 'Medicare'),
  (1002, 'MRN-000415', 'Grace', 'Lee', '1988-07-30', 'F', 'BlueCross'),
  (1003, 'MRN-000502', 'Omar', 'Farouk', '2015-11-02', 'M', 'Medicaid'),
  (1004, 'MRN-000611', 'Helen', 'Schmidt', '1942-05-19', 'F', 'Medicare'),
  (1005, 'MRN-000733', 'Lucas', 'Pereira', '1999-12-01', 'M', NULL),
  (1006, 'MRN-000804', 'Mei', 'Chen', '1975-03-25', 'F', 'Aetna'),
  (1007, 'MRN-000915', 'Aisha', 'Bello', '2019-08-14', 'F', 'Medicaid'),
  (1008, 'MRN-001022', 'Robert', 'Walsh', '1963-10-07', 'M', 'BlueCross'),
  (1009, 'MRN-001130', 'Nina', 'Kowalski', '1990-01-22', 'F', NULL);

INSERT INTO enc VALUES
  (50001, 1001, 1, 'IP', '2024-01-03', '2024-01-09', 18450.00),
  (50002, 1002, 4, 'ED', '2024-01-05', '2024-01-05', 1320.50),
  (50003, 1003, 3, 'OP', '2024-01-12', '2024-01-12', 240.00),
  (50004, 1004, 7, 'IP', '2024-02-01', '2024-02-15', 32780.00),
  (50005, 1005, 5, 'ED', '2024-02-10', '2024-02-10', 2150.00),
  (50006, 1006, 2, 'OP', '2024-02-20', '2024-02-20', 5400.00),
  (50007, 1001, 1, 'OP', '2024-03-04', '2024-03-04', 310.00),
  (50008, 1007, 3, 'ED', '2024-03-09', '2024-03-10', 980.00),
  (50009, 1008, 6, 'ED', '2024-03-15', '2024-03-15', 1710.25),
  (50010, 1006, 2, 'IP', '2024-04-02', '2024-04-12', 41200.00),
  (50011, 1004, 1, 'OP', '2024-04-18', '2024-04-18', 295.00),
  (50012, 1008, 5, 'IP', '2024-05-06', NULL, NULL),
  (50013, 1002, NULL, 'OP', '2024-05-20', '2024-05-20', 150.00);

INSERT INTO dx VALUES
  (1, 50001, 'I21.4', 'Non-ST elevation myocardial infarction', 1),
  (2, 50001, 'E11.9', 'Type 2 diabetes without complications', 0),
  (3, 50002, 'S93.401A', 'Sprain of ankle ligament', 1),
  (4, 50003, 'J06.9', 'Acute upper respiratory infection', 1),
  (5, 50004, 'I50.9', 'Heart failure, unspecified', 1),
  (6, 50004, 'N18.3', 'Chronic kidney disease, stage 3', 0),
  (7, 50005, 'S52.501A', 'Fracture of radius', 1),
  (8, 50006, 'C50.911', 'Malignant neoplasm of breast', 1),
  (9, 50007, 'I25.10', 'Coronary artery disease', 1),
  (10, 50008, 'R50.9', 'Fever, unspecified', 1),
  (11, 50009, 'R07.9', 'Chest pain, unspecified', 1),
  (12, 50010, 'C50.911', 'Malignant neoplasm of breast', 1),
  (13, 50010, 'D64.9', 'Anemia, unspecified', 0),
  (14, 50011, 'I25.10', 'Coronary artery disease', 1),
  (15, 50012, 'M16.11', 'Osteoarthritis of right hip', 1);

INSERT INTO rx_ord VALUES
  (1, 50001, 'Aspirin', 81, 30, '2024-01-03'),
  (2, 50001, 'Atorvastatin', 40, 30, '2024-01-09'),
  (3, 50001, 'Metformin', 500, 60, '2024-01-09'),
  (4, 50002, 'Ibuprofen', 400, 20, '2024-01-05'),
  (5, 50003, 'Amoxicillin', 250, 21, '2024-01-12'),
  (6, 50004, 'Furosemide', 40, 30, '2024-02-02'),
  (7, 50004, 'Lisinopril', 10, 30, '2024-02-15'),
  (8, 50005, 'Oxycodone', 5, 12, '2024-02-10'),
  (9, 50006, 'Tamoxifen', 20, 90, '2024-02-20'),
  (10, 50008, 'Acetaminophen', 160, 10, '2024-03-09'),
  (11, 50010, 'Ondansetron', 8, 14, '2024-04-03'),
  (12, 50011, 'Atorvastatin', 80, 30, '2024-04-18'),
  (13, 50012, 'Enoxaparin', 40, NULL, '2024-05-06');
