"""Writers of files people take away: PDFs (ReportLab) and workbooks (openpyxl). Plain data in, file out."""
