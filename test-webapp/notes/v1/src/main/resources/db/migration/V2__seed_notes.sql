INSERT INTO note (text) VALUES ('Buy milk');
INSERT INTO note (text) VALUES ('Renew the certificate');
