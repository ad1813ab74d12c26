-- A public library (SQLite, in the older typeless style some real databases still use:
-- columns without types, quoted names with spaces).
CREATE TABLE authors (
    author_id INTEGER PRIMARY KEY,
    full_name,
    birth_year
);

CREATE TABLE books (
    book_id INTEGER PRIMARY KEY,
    title,
    author_id REFERENCES authors(author_id),
    published_year,
    isbn
);

CREATE TABLE members (
    member_id INTEGER PRIMARY KEY,
    "Member Name",
    joined
);

CREATE TABLE loans (
    loan_id INTEGER PRIMARY KEY,
    book_id REFERENCES books(book_id),
    member_id REFERENCES members(member_id),
    loaned_on,
    returned_on
);
