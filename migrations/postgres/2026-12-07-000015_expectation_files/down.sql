DROP TABLE expectation_files;
