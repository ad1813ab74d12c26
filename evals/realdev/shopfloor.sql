-- Tuning suite (realdev), NOT held-out: a hand-written manufacturing/ERP shop-floor database (legacy UPPER_CASE abbreviated names).
-- Used for tuning decisions (decoding settings, model choice); report numbers on evals/heldout instead.
CREATE TABLE ITM_MSTR (
  ITM_NO TEXT PRIMARY KEY,
  ITM_DESC TEXT NOT NULL,
  ITM_TYP TEXT NOT NULL, -- FG finished good, SA subassembly, RM raw material, PK packaging
  UOM TEXT NOT NULL, -- EA each, KG, M metre
  STD_COST REAL,
  SAFETY_STK INTEGER,
  ON_HND_QTY REAL NOT NULL DEFAULT 0,
  OBSOLETE_FLG INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE BOM_LN (
  PARENT_ITM TEXT NOT NULL REFERENCES ITM_MSTR(ITM_NO),
  COMP_ITM TEXT NOT NULL REFERENCES ITM_MSTR(ITM_NO),
  QTY_PER REAL NOT NULL,
  SCRAP_PCT REAL,
  PRIMARY KEY (PARENT_ITM, COMP_ITM)
);
CREATE TABLE WRK_CTR (
  WC_CD TEXT PRIMARY KEY,
  WC_DESC TEXT NOT NULL,
  PLANT TEXT NOT NULL, -- P01 Dayton, P02 Monterrey
  SHIFT_CNT INTEGER
);
CREATE TABLE MACH (
  MACH_ID TEXT PRIMARY KEY,
  MACH_DESC TEXT NOT NULL,
  WC_CD TEXT NOT NULL REFERENCES WRK_CTR(WC_CD),
  MFR TEXT,
  INSTL_DT DATE,
  STAT_CD TEXT NOT NULL -- A active, M in maintenance, R retired
);
CREATE TABLE WO_HDR (
  WO_NO INTEGER PRIMARY KEY,
  ITM_NO TEXT NOT NULL REFERENCES ITM_MSTR(ITM_NO),
  MACH_ID TEXT REFERENCES MACH(MACH_ID), -- NULL until scheduled
  ORD_QTY REAL NOT NULL,
  CMPL_QTY REAL NOT NULL DEFAULT 0,
  SCRP_QTY REAL NOT NULL DEFAULT 0,
  WO_STAT TEXT NOT NULL, -- PL planned, RL released, IP in process, CL closed, CX cancelled
  REL_DT DATE,
  DUE_DT DATE NOT NULL,
  CLS_DT DATE,
  PRTY INTEGER -- 1 high, 2 normal, 3 low
);
CREATE TABLE DWNTM_LOG (
  DT_ID INTEGER PRIMARY KEY,
  MACH_ID TEXT NOT NULL REFERENCES MACH(MACH_ID),
  START_TS TEXT NOT NULL, -- 'YYYY-MM-DD HH:MM'
  DUR_MIN INTEGER, -- NULL while the machine is still down
  RSN_CD TEXT NOT NULL, -- MECH mechanical, ELEC electrical, SETUP changeover, MATL no material, PM planned maintenance
  WO_NO INTEGER REFERENCES WO_HDR(WO_NO),
  NOTES TEXT
);

INSERT INTO ITM_MSTR VALUES
  ('FG-1001', 'Desk Lamp LX200 Black', 'FG', 'EA', 18.40, 50, 120, 0),
  ('FG-1002', 'Desk Lamp LX200 White', 'FG', 'EA', 18.40, 50, 35, 0),
  ('FG-1003', 'Floor Lamp FX500', 'FG', 'EA', 42.75, 20, 12, 0),
  ('FG-1004', 'Clamp Lamp CL10', 'FG', 'EA', 9.90, 100, 0, 1),
  ('FG-1005', 'Wall Sconce WS30', 'FG', 'EA', 27.30, NULL, 48, 0),
  ('SA-2001', 'Lamp Head Assembly LX', 'SA', 'EA', 6.85, 30, 40, 0),
  ('SA-2002', 'Base Assembly LX', 'SA', 'EA', 4.20, 30, 22, 0),
  ('SA-2003', 'Pole Assembly FX', 'SA', 'EA', 11.10, 10, 5, 0),
  ('SA-2004', 'Wiring Harness 1.8m', 'SA', 'EA', 2.35, 200, 310, 0),
  ('RM-3001', 'Aluminum Tube 25mm', 'RM', 'M', 3.10, 100, 240.5, 0),
  ('RM-3002', 'Steel Sheet 1.2mm', 'RM', 'KG', 1.45, 500, 820, 0),
  ('RM-3003', 'LED Module 8W', 'RM', 'EA', 3.60, 300, 150, 0),
  ('RM-3004', 'Power Cord 2-wire', 'RM', 'M', 0.42, 1000, 2600, 0),
  ('RM-3005', 'Rocker Switch', 'RM', 'EA', 0.38, 500, 410, 0),
  ('RM-3006', 'Powder Coat Black', 'RM', 'KG', 8.90, 40, 55.2, 0),
  ('RM-3007', 'Powder Coat White', 'RM', 'KG', 9.10, 40, 12.0, 0),
  ('RM-3008', 'Cast Iron Base Weight', 'RM', 'EA', 2.75, NULL, 90, 0),
  ('RM-3009', 'Diffuser Lens PC', 'RM', 'EA', 0.95, 200, 0, 0),
  ('RM-3010', 'Mounting Bracket WS', 'RM', 'EA', 1.20, 100, 140, 0),
  ('RM-3011', 'Incandescent Socket E26', 'RM', 'EA', 0.65, 0, 800, 1),
  ('PK-4001', 'Carton LX200', 'PK', 'EA', 0.80, 200, 350, 0),
  ('PK-4002', 'Carton FX500', 'PK', 'EA', 1.90, 50, 20, 0),
  ('PK-4003', 'Foam Insert', 'PK', 'EA', 0.25, NULL, 1000, 0);

INSERT INTO BOM_LN VALUES
  ('FG-1001', 'SA-2001', 1, 0),
  ('FG-1001', 'SA-2002', 1, 0),
  ('FG-1001', 'SA-2004', 1, 0.5),
  ('FG-1001', 'RM-3006', 0.15, 5.0),
  ('FG-1001', 'PK-4001', 1, NULL),
  ('FG-1002', 'SA-2001', 1, 0),
  ('FG-1002', 'SA-2002', 1, 0),
  ('FG-1002', 'SA-2004', 1, 0.5),
  ('FG-1002', 'RM-3007', 0.15, 5.0),
  ('FG-1002', 'PK-4001', 1, NULL),
  ('FG-1003', 'SA-2001', 1, 0),
  ('FG-1003', 'SA-2003', 1, 0),
  ('FG-1003', 'SA-2004', 1, 0.5),
  ('FG-1003', 'RM-3008', 2, 0),
  ('FG-1003', 'PK-4002', 1, NULL),
  ('FG-1003', 'PK-4003', 2, NULL),
  ('FG-1004', 'RM-3011', 1, 1.0),
  ('FG-1004', 'RM-3004', 1.5, 2.0),
  ('FG-1004', 'RM-3005', 1, 1.0),
  ('FG-1005', 'RM-3003', 1, 1.0),
  ('FG-1005', 'RM-3010', 2, 0),
  ('FG-1005', 'RM-3009', 1, 3.0),
  ('FG-1005', 'RM-3002', 0.4, 8.0),
  ('FG-1005', 'RM-3005', 1, 1.0),
  ('SA-2001', 'RM-3003', 1, 1.0),
  ('SA-2001', 'RM-3009', 1, 3.0),
  ('SA-2001', 'RM-3002', 0.3, 8.0),
  ('SA-2001', 'RM-3005', 1, 1.0),
  ('SA-2002', 'RM-3002', 0.9, 10.0),
  ('SA-2002', 'RM-3008', 1, 0),
  ('SA-2003', 'RM-3001', 1.6, 4.0),
  ('SA-2003', 'RM-3002', 0.2, 8.0),
  ('SA-2004', 'RM-3004', 1.8, 2.0);

INSERT INTO WRK_CTR VALUES
  ('WC-ASM1', 'Final Assembly Line 1', 'P01', 2),
  ('WC-ASM2', 'Final Assembly Line 2', 'P02', 1),
  ('WC-PRS', 'Press Shop', 'P01', 3),
  ('WC-PNT', 'Powder Coat Booth', 'P01', 2),
  ('WC-CUT', 'Tube Cutting', 'P02', 2),
  ('WC-WIR', 'Wire Harness Cell', 'P02', NULL);

INSERT INTO MACH VALUES
  ('M-101', 'Amada Turret Press 1', 'WC-PRS', 'Amada', '2012-05-01', 'A'),
  ('M-102', 'Amada Turret Press 2', 'WC-PRS', 'Amada', '2016-08-15', 'A'),
  ('M-103', 'Old Bliss Press', 'WC-PRS', 'Bliss', '1998-03-10', 'R'),
  ('M-201', 'Powder Booth Gema', 'WC-PNT', 'Gema', '2018-01-20', 'A'),
  ('M-202', 'Cure Oven', 'WC-PNT', NULL, '2009-11-02', 'M'),
  ('M-301', 'Assembly Conveyor A', 'WC-ASM1', 'Dorner', '2019-04-04', 'A'),
  ('M-302', 'Screwdriving Station A', 'WC-ASM1', 'Atlas Copco', '2020-02-12', 'A'),
  ('M-303', 'Assembly Conveyor B', 'WC-ASM2', 'Dorner', '2021-07-19', 'A'),
  ('M-401', 'Tube Saw Kasto', 'WC-CUT', 'Kasto', '2014-06-30', 'A'),
  ('M-402', 'Tube Bender BLM', 'WC-CUT', 'BLM', '2017-09-09', 'M'),
  ('M-501', 'Wire Stripper Schleuniger', 'WC-WIR', 'Schleuniger', '2015-03-03', 'A'),
  ('M-502', 'Crimp Press Komax', 'WC-WIR', 'Komax', '2022-10-10', 'A'),
  ('M-503', 'Spare Crimp Press', 'WC-WIR', 'Komax', NULL, 'A');

INSERT INTO WO_HDR VALUES
  (50001, 'FG-1001', 'M-301', 500, 496, 4, 'CL', '2024-01-03', '2024-01-12', '2024-01-11', 2),
  (50002, 'FG-1002', 'M-301', 300, 300, 0, 'CL', '2024-01-08', '2024-01-19', '2024-01-22', 2),
  (50003, 'SA-2004', 'M-501', 1000, 985, 15, 'CL', '2024-01-05', '2024-01-10', '2024-01-10', 1),
  (50004, 'SA-2002', 'M-101', 600, 590, 10, 'CL', '2024-01-10', '2024-01-20', '2024-01-19', 2),
  (50005, 'FG-1003', 'M-303', 100, 98, 2, 'CL', '2024-01-15', '2024-02-01', '2024-02-06', 1),
  (50006, 'SA-2003', 'M-401', 120, 112, 8, 'CL', '2024-01-12', '2024-01-26', '2024-01-25', 2),
  (50007, 'SA-2001', 'M-302', 800, 788, 12, 'CL', '2024-01-20', '2024-02-02', '2024-02-02', 2),
  (50008, 'FG-1005', 'M-303', 200, 195, 5, 'CL', '2024-02-01', '2024-02-15', '2024-02-14', 3),
  (50009, 'FG-1001', 'M-301', 500, 480, 20, 'CL', '2024-02-05', '2024-02-16', '2024-02-20', 1),
  (50010, 'SA-2004', 'M-502', 1500, 1500, 0, 'CL', '2024-02-10', '2024-02-17', '2024-02-16', 2),
  (50011, 'SA-2002', 'M-102', 600, 560, 40, 'CL', '2024-02-12', '2024-02-23', '2024-02-29', 2),
  (50012, 'FG-1004', NULL, 200, 0, 0, 'CX', NULL, '2024-03-01', NULL, 3),
  (50013, 'FG-1002', 'M-303', 400, 392, 8, 'CL', '2024-03-01', '2024-03-12', '2024-03-12', 2),
  (50014, 'SA-2001', 'M-302', 600, 600, 0, 'CL', '2024-03-04', '2024-03-15', '2024-03-18', 2),
  (50015, 'SA-2003', 'M-401', 150, 141, 9, 'CL', '2024-03-05', '2024-03-20', '2024-03-19', 1),
  (50016, 'FG-1003', 'M-303', 80, 80, 0, 'CL', '2024-03-18', '2024-04-01', '2024-04-03', 1),
  (50017, 'FG-1001', 'M-301', 600, 590, 10, 'CL', '2024-04-01', '2024-04-12', '2024-04-12', 2),
  (50018, 'SA-2004', 'M-501', 1200, 1180, 20, 'CL', '2024-04-03', '2024-04-10', '2024-04-15', 2),
  (50019, 'SA-2002', 'M-101', 500, 495, 5, 'CL', '2024-04-08', '2024-04-19', '2024-04-18', 2),
  (50020, 'FG-1005', 'M-303', 150, 150, 0, 'CL', '2024-04-15', '2024-04-26', '2024-04-25', 3),
  (50021, 'FG-1002', 'M-301', 300, 120, 3, 'IP', '2024-05-06', '2024-05-17', NULL, 1),
  (50022, 'SA-2001', 'M-302', 700, 410, 6, 'IP', '2024-05-08', '2024-05-20', NULL, 2),
  (50023, 'SA-2003', 'M-402', 100, 0, 0, 'RL', '2024-05-10', '2024-05-24', NULL, 1),
  (50024, 'FG-1003', 'M-303', 120, 60, 2, 'IP', '2024-05-13', '2024-05-31', NULL, 1),
  (50025, 'SA-2004', 'M-502', 1000, 0, 0, 'RL', '2024-05-15', '2024-05-22', NULL, 2),
  (50026, 'FG-1001', NULL, 500, 0, 0, 'PL', NULL, '2024-06-14', NULL, 2),
  (50027, 'FG-1005', NULL, 200, 0, 0, 'PL', NULL, '2024-06-21', NULL, 3),
  (50028, 'SA-2002', 'M-102', 400, 0, 0, 'RL', '2024-05-16', '2024-05-28', NULL, 2),
  (50029, 'FG-1004', NULL, 50, 0, 0, 'CX', NULL, '2024-04-30', NULL, 3),
  (50030, 'FG-1002', NULL, 250, 0, 0, 'PL', NULL, '2024-06-28', NULL, 2);

INSERT INTO DWNTM_LOG VALUES
  (1, 'M-101', '2024-01-11 07:15', 45, 'MECH', 50004, 'ram jam, cleared'),
  (2, 'M-301', '2024-01-09 14:00', 30, 'SETUP', 50001, NULL),
  (3, 'M-501', '2024-01-06 09:30', 20, 'ELEC', 50003, 'sensor reset'),
  (4, 'M-202', '2024-01-15 06:00', 480, 'PM', NULL, 'quarterly oven service'),
  (5, 'M-303', '2024-01-22 10:10', 95, 'MATL', 50005, 'waiting on FX cartons'),
  (6, 'M-401', '2024-01-18 13:45', 60, 'MECH', 50006, 'blade change'),
  (7, 'M-302', '2024-01-25 08:00', 15, 'ELEC', 50007, NULL),
  (8, 'M-301', '2024-02-07 11:20', 120, 'MATL', 50009, 'LED modules short'),
  (9, 'M-102', '2024-02-14 07:00', 210, 'MECH', 50011, 'die crack'),
  (10, 'M-102', '2024-02-20 15:30', 90, 'MECH', 50011, 'die crack again'),
  (11, 'M-402', '2024-02-26 08:00', 600, 'MECH', NULL, 'hydraulic leak'),
  (12, 'M-201', '2024-03-01 06:00', 240, 'PM', NULL, NULL),
  (13, 'M-303', '2024-03-05 09:00', 25, 'SETUP', 50013, NULL),
  (14, 'M-302', '2024-03-11 13:00', 75, 'ELEC', 50014, 'controller fault'),
  (15, 'M-401', '2024-03-12 10:30', 40, 'SETUP', 50015, NULL),
  (16, 'M-303', '2024-03-25 14:15', 50, 'MATL', 50016, 'waiting on poles'),
  (17, 'M-501', '2024-04-05 08:45', 180, 'ELEC', 50018, 'drive replaced'),
  (18, 'M-101', '2024-04-10 07:30', 35, 'SETUP', 50019, NULL),
  (19, 'M-202', '2024-04-15 06:00', 480, 'PM', NULL, NULL),
  (20, 'M-301', '2024-04-08 10:00', 20, 'SETUP', 50017, NULL),
  (21, 'M-302', '2024-05-09 09:15', 65, 'MECH', 50022, 'bit holder'),
  (22, 'M-301', '2024-05-10 13:40', 110, 'MATL', 50021, 'white powder coat out'),
  (23, 'M-402', '2024-05-14 07:00', NULL, 'MECH', NULL, 'bender down, awaiting part'),
  (24, 'M-303', '2024-05-16 11:00', 30, 'ELEC', 50024, NULL),
  (25, 'M-502', '2024-05-17 08:30', 15, 'SETUP', NULL, NULL),
  (26, 'M-202', '2024-05-20 06:30', NULL, 'ELEC', NULL, 'burner ignition fault');
