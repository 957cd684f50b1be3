ALTER TABLE note ADD tags VARCHAR(100) NULL;
UPDATE note SET tags = 'home' WHERE text = 'Buy milk';
