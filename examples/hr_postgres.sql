-- A company's HR data (PostgreSQL, schema-qualified). arctic sql "..." --schema examples/hr_postgres.sql --dialect postgres
CREATE SCHEMA hr;

CREATE TABLE hr.departments (
    department_id SERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    location VARCHAR(100)
);

CREATE TABLE hr.employees (
    employee_id SERIAL PRIMARY KEY,
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    hire_date DATE NOT NULL,
    salary NUMERIC(10, 2),
    department_id INTEGER REFERENCES hr.departments (department_id),
    manager_id INTEGER REFERENCES hr.employees (employee_id)
);

CREATE TABLE hr.salary_history (
    employee_id INTEGER NOT NULL,
    changed_on TIMESTAMP WITH TIME ZONE NOT NULL,
    old_salary NUMERIC(10, 2),
    new_salary NUMERIC(10, 2) NOT NULL,
    PRIMARY KEY (employee_id, changed_on),
    CONSTRAINT fk_employee FOREIGN KEY (employee_id) REFERENCES hr.employees (employee_id)
);
