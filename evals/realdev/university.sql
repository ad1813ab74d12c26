-- Tuning suite (realdev), NOT held-out: a hand-written university course registration database (tbl prefix, camelCase columns).
-- Used for tuning decisions (decoding settings, model choice); report numbers on evals/heldout instead.
CREATE TABLE tblDepartment (
  deptId INTEGER PRIMARY KEY,
  deptCode TEXT NOT NULL UNIQUE, -- e.g. CS, MATH
  deptName TEXT NOT NULL,
  building TEXT,
  chairInstructorId INTEGER REFERENCES tblInstructor(instructorId) -- NULL = chair vacant
);
CREATE TABLE tblInstructor (
  instructorId INTEGER PRIMARY KEY,
  firstName TEXT NOT NULL,
  lastName TEXT NOT NULL,
  deptId INTEGER NOT NULL REFERENCES tblDepartment(deptId),
  rank TEXT NOT NULL, -- PROF, ASSOC, ASST, LECT (lecturer), ADJ (adjunct)
  hireDate DATE,
  isTenured INTEGER NOT NULL DEFAULT 0,
  email TEXT
);
CREATE TABLE tblStudent (
  studentId INTEGER PRIMARY KEY,
  studentNo TEXT NOT NULL UNIQUE,
  firstName TEXT NOT NULL,
  lastName TEXT NOT NULL,
  majorDeptId INTEGER REFERENCES tblDepartment(deptId), -- NULL = undeclared
  advisorId INTEGER REFERENCES tblInstructor(instructorId),
  enrollYear INTEGER NOT NULL,
  classLevel TEXT NOT NULL, -- FR, SO, JR, SR, GR (graduate)
  gpa REAL, -- NULL until the first term is graded
  isInternational INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tblCourse (
  courseId INTEGER PRIMARY KEY,
  deptId INTEGER NOT NULL REFERENCES tblDepartment(deptId),
  courseNum TEXT NOT NULL, -- e.g. 101, 101L
  courseTitle TEXT NOT NULL,
  creditHrs INTEGER NOT NULL,
  prereqCourseId INTEGER REFERENCES tblCourse(courseId)
);
CREATE TABLE tblSection (
  sectionId INTEGER PRIMARY KEY,
  courseId INTEGER NOT NULL REFERENCES tblCourse(courseId),
  termCode TEXT NOT NULL, -- year + term letter: 2023F fall 2023, 2024S spring 2024, 2024U summer 2024, 2024F fall 2024
  sectionNo TEXT NOT NULL,
  instructorId INTEGER REFERENCES tblInstructor(instructorId), -- NULL = TBA
  roomNo TEXT,
  maxSeats INTEGER NOT NULL,
  meetDays TEXT -- e.g. MWF, TR
);
CREATE TABLE tblEnrollment (
  enrollmentId INTEGER PRIMARY KEY,
  studentId INTEGER NOT NULL REFERENCES tblStudent(studentId),
  sectionId INTEGER NOT NULL REFERENCES tblSection(sectionId),
  enrollDate DATE NOT NULL,
  finalGrade TEXT, -- A, B, C, D, F, W (withdrew), I (incomplete); NULL while in progress and for audits
  isAudit INTEGER NOT NULL DEFAULT 0
);

INSERT INTO tblDepartment VALUES
  (1, 'CS', 'Computer Science', 'Turing Hall', 1),
  (2, 'MATH', 'Mathematics', 'Gauss Building', 5),
  (3, 'HIST', 'History', 'Founders Hall', 9),
  (4, 'BIO', 'Biology', 'Darwin Center', 12),
  (5, 'ECON', 'Economics', NULL, NULL);

INSERT INTO tblInstructor VALUES
  (1, 'Alan', 'Brooks', 1, 'PROF', '2004-08-15', 1, 'abrooks@uni.edu'),
  (2, 'Meera', 'Shah', 1, 'ASSOC', '2012-08-20', 1, 'mshah@uni.edu'),
  (3, 'Daniel', 'Okafor', 1, 'ASST', '2020-08-17', 0, 'dokafor@uni.edu'),
  (4, 'Lisa', 'Tran', 1, 'LECT', '2018-01-08', 0, NULL),
  (5, 'Robert', 'Feld', 2, 'PROF', '1999-08-23', 1, 'rfeld@uni.edu'),
  (6, 'Yuki', 'Tanaka', 2, 'ASST', '2021-08-16', 0, 'ytanaka@uni.edu'),
  (7, 'Peter', 'Dvorak', 2, 'ADJ', '2023-01-09', 0, NULL),
  (8, 'Claire', 'Dubois', 3, 'ASSOC', '2010-08-16', 1, 'cdubois@uni.edu'),
  (9, 'Samuel', 'Ortiz', 3, 'PROF', '2001-08-20', 1, 'sortiz@uni.edu'),
  (10, 'Ruth', 'Abrams', 3, 'LECT', '2016-08-22', 0, 'rabrams@uni.edu'),
  (11, 'Kwame', 'Mensah', 4, 'ASST', '2019-08-19', 0, 'kmensah@uni.edu'),
  (12, 'Ingrid', 'Larsen', 4, 'PROF', '2006-08-14', 1, 'ilarsen@uni.edu'),
  (13, 'Omar', 'Farid', 5, 'ASSOC', '2014-08-18', 1, 'ofarid@uni.edu'),
  (14, 'Julia', 'Weber', 5, 'ADJ', '2024-01-08', 0, NULL),
  (15, 'Tom', 'Gallagher', 1, 'ADJ', NULL, 0, 'tgallagher@uni.edu');

INSERT INTO tblStudent VALUES
  (1, 'S2021001', 'Ava', 'Thompson', 1, 1, 2021, 'SR', 3.72, 0),
  (2, 'S2021002', 'Ben', 'Carter', 1, 2, 2021, 'SR', 3.10, 0),
  (3, 'S2022003', 'Chen', 'Wei', 1, 2, 2022, 'JR', 3.95, 1),
  (4, 'S2022004', 'Diana', 'Morales', 2, 5, 2022, 'JR', 3.45, 0),
  (5, 'S2023005', 'Elijah', 'Brown', 1, 3, 2023, 'SO', 2.80, 0),
  (6, 'S2023006', 'Fatou', 'Diallo', 4, 12, 2023, 'SO', 3.60, 1),
  (7, 'S2023007', 'Gabriel', 'Rossi', 3, 13, 2023, 'SO', 2.95, 0),
  (8, 'S2024008', 'Hana', 'Sato', NULL, NULL, 2024, 'FR', NULL, 1),
  (9, 'S2024009', 'Isaac', 'Cohen', 1, 3, 2024, 'FR', NULL, 0),
  (10, 'S2022010', 'Julia', 'Horvath', 5, 13, 2022, 'JR', 3.25, 0),
  (11, 'S2021011', 'Kevin', 'O''Neil', 3, 8, 2021, 'SR', 2.55, 0),
  (12, 'S2023012', 'Leila', 'Mansour', 2, 6, 2023, 'SO', 3.88, 1),
  (13, 'S2024013', 'Marcus', 'Reed', NULL, NULL, 2024, 'FR', NULL, 0),
  (14, 'S2020014', 'Nina', 'Petrova', 1, 1, 2020, 'GR', 3.91, 1),
  (15, 'S2022015', 'Owen', 'Fischer', 4, 6, 2022, 'JR', 3.05, 0),
  (16, 'S2021016', 'Priya', 'Nair', 2, 5, 2021, 'SR', 3.67, 1),
  (17, 'S2023017', 'Quinn', 'Walsh', 5, 13, 2023, 'SO', 2.40, 0),
  (18, 'S2022018', 'Rosa', 'Jimenez', 3, 9, 2022, 'JR', 3.33, 0),
  (19, 'S2021019', 'Sam', 'Becker', 1, NULL, 2021, 'SR', 2.98, 0),
  (20, 'S2023020', 'Tara', 'Singh', 4, 12, 2023, 'SO', 3.50, 0),
  (21, 'S2022021', 'Umar', 'Farouk', 5, NULL, 2022, 'JR', 3.15, 1),
  (22, 'S2024022', 'Vera', 'Lindqvist', 1, 4, 2024, 'FR', NULL, 1),
  (23, 'S2020023', 'Will', 'Harper', 2, 5, 2020, 'GR', 3.80, 0),
  (24, 'S2023024', 'Xin', 'Liu', 1, 2, 2023, 'SO', 3.20, 1);

INSERT INTO tblCourse VALUES
  (1, 1, '101', 'Intro to Programming', 4, NULL),
  (2, 1, '201', 'Data Structures', 4, 1),
  (3, 1, '310', 'Databases', 3, 2),
  (4, 1, '330', 'Operating Systems', 3, 2),
  (5, 1, '450', 'Machine Learning', 3, 2),
  (6, 2, '151', 'Calculus I', 4, NULL),
  (7, 2, '152', 'Calculus II', 4, 6),
  (8, 2, '220', 'Discrete Mathematics', 3, 6),
  (9, 2, '240', 'Linear Algebra', 3, 7),
  (10, 3, '110', 'World History to 1500', 3, NULL),
  (11, 3, '111', 'World History since 1500', 3, NULL),
  (12, 3, '305', 'The Cold War', 3, 11),
  (13, 4, '101', 'General Biology', 4, NULL),
  (14, 4, '101L', 'General Biology Lab', 1, NULL),
  (15, 4, '220', 'Genetics', 3, 13),
  (16, 5, '101', 'Principles of Microeconomics', 3, NULL),
  (17, 5, '102', 'Principles of Macroeconomics', 3, NULL),
  (18, 5, '380', 'Econometrics', 3, 16);

INSERT INTO tblSection VALUES
  (1, 1, '2023F', '01', 3, 'TH-101', 40, 'MWF'),
  (2, 1, '2023F', '02', 4, 'TH-101', 40, 'TR'),
  (3, 2, '2023F', '01', 2, 'TH-204', 30, 'MWF'),
  (4, 6, '2023F', '01', 6, 'GB-110', 35, 'MWF'),
  (5, 10, '2023F', '01', 10, 'FH-200', 45, 'TR'),
  (6, 13, '2023F', '01', 11, 'DC-150', 50, 'MWF'),
  (7, 14, '2023F', '01', 11, 'DC-LAB2', 20, 'W'),
  (8, 16, '2023F', '01', 13, NULL, 60, 'TR'),
  (9, 1, '2024S', '01', 4, 'TH-101', 40, 'MWF'),
  (10, 2, '2024S', '01', 3, 'TH-204', 30, 'TR'),
  (11, 3, '2024S', '01', 1, 'TH-204', 25, 'MWF'),
  (12, 7, '2024S', '01', 6, 'GB-110', 35, 'MWF'),
  (13, 8, '2024S', '01', 6, 'GB-210', 30, 'TR'),
  (14, 11, '2024S', '01', 10, 'FH-200', 45, 'MWF'),
  (15, 15, '2024S', '01', 12, 'DC-150', 30, 'TR'),
  (16, 17, '2024S', '01', 14, NULL, 60, 'TR'),
  (17, 1, '2024U', '01', 15, 'TH-101', 30, 'MTWR'),
  (18, 10, '2024U', '01', 10, 'FH-120', 25, 'MTWR'),
  (19, 5, '2024F', '01', 1, 'TH-204', 25, 'TR'),
  (20, 3, '2024F', '01', 2, 'TH-204', 25, 'MWF'),
  (21, 9, '2024F', '01', NULL, NULL, 30, 'MWF'),
  (22, 18, '2024F', '01', 13, 'EC-301', 20, 'TR'),
  (23, 1, '2024F', '01', 3, 'TH-101', 40, 'MWF'),
  (24, 12, '2024F', '01', 9, 'FH-210', 30, 'TR'),
  (25, 6, '2024F', '01', 7, 'GB-110', 35, 'TR');

INSERT INTO tblEnrollment VALUES
  (1, 5, 1, '2023-08-14', 'B', 0),
  (2, 7, 1, '2023-08-15', 'C', 0),
  (3, 24, 2, '2023-08-14', 'A', 0),
  (4, 17, 2, '2023-08-16', 'D', 0),
  (5, 3, 3, '2023-08-10', 'A', 0),
  (6, 2, 3, '2023-08-11', 'B', 0),
  (7, 12, 4, '2023-08-12', 'A', 0),
  (8, 5, 4, '2023-08-14', 'C', 0),
  (9, 24, 4, '2023-08-14', 'B', 0),
  (10, 7, 5, '2023-08-15', 'B', 0),
  (11, 18, 5, '2023-08-13', 'A', 0),
  (12, 6, 6, '2023-08-12', 'A', 0),
  (13, 6, 7, '2023-08-12', 'A', 0),
  (14, 20, 6, '2023-08-14', 'B', 0),
  (15, 20, 7, '2023-08-14', 'A', 0),
  (16, 10, 8, '2023-08-11', 'B', 0),
  (17, 17, 8, '2023-08-16', 'F', 0),
  (18, 21, 8, '2023-08-12', 'A', 0),
  (19, 5, 10, '2024-01-05', 'B', 0),
  (20, 24, 10, '2024-01-04', 'A', 0),
  (21, 3, 11, '2024-01-03', 'A', 0),
  (22, 1, 11, '2024-01-03', 'A', 0),
  (23, 2, 11, '2024-01-04', 'W', 0),
  (24, 12, 12, '2024-01-04', 'A', 0),
  (25, 4, 13, '2024-01-05', 'B', 0),
  (26, 23, 13, '2024-01-03', 'A', 0),
  (27, 11, 14, '2024-01-08', 'C', 0),
  (28, 7, 14, '2024-01-06', 'B', 0),
  (29, 15, 15, '2024-01-05', 'B', 0),
  (30, 6, 15, '2024-01-04', 'A', 0),
  (31, 10, 16, '2024-01-05', 'A', 0),
  (32, 17, 16, '2024-01-09', 'I', 0),
  (33, 23, 11, '2024-01-10', NULL, 1),
  (34, 17, 17, '2024-05-20', 'C', 0),
  (35, 11, 18, '2024-05-21', 'B', 0),
  (36, 19, 17, '2024-05-22', 'W', 0),
  (37, 1, 19, '2024-08-12', NULL, 0),
  (38, 14, 19, '2024-08-10', NULL, 0),
  (39, 3, 19, '2024-08-11', NULL, 0),
  (40, 24, 20, '2024-08-12', NULL, 0),
  (41, 5, 20, '2024-08-13', NULL, 0),
  (42, 4, 21, '2024-08-12', NULL, 0),
  (43, 12, 21, '2024-08-12', NULL, 0),
  (44, 21, 22, '2024-08-14', NULL, 0),
  (45, 10, 22, '2024-08-13', NULL, 0),
  (46, 9, 23, '2024-08-15', NULL, 0),
  (47, 22, 23, '2024-08-15', NULL, 0),
  (48, 13, 23, '2024-08-16', NULL, 0),
  (49, 8, 25, '2024-08-16', NULL, 0),
  (50, 18, 24, '2024-08-12', NULL, 0),
  (51, 11, 24, '2024-08-13', NULL, 0),
  (52, 9, 25, '2024-08-15', NULL, 0),
  (53, 2, 20, '2024-08-14', NULL, 0),
  (54, 14, 21, '2024-08-10', NULL, 0);
