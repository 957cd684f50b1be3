-- Portable SQL: the notes run on MySQL, MariaDB and PostgreSQL alike (hence no AUTO_INCREMENT).
CREATE TABLE note (
    id INT NOT NULL PRIMARY KEY,
    text VARCHAR(200) NOT NULL
);
