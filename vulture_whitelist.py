"""Names vulture takes for unused that are used: by ReportLab, openpyxl, Qt, SQLAlchemy, Alembic, or the tests.

Vulture does not look into those libraries or into tests/, so it cannot see these uses. Check with

    vulture wuye_desktop vulture_whitelist.py --min-confidence 60

which should print nothing. A name listed here counts as used everywhere: list only what is used.
"""
# ruff: noqa: B018, F821 - vulture's whitelist format: bare names and attributes of a placeholder ``_``

# -- ReportLab reads or calls these on the flowables and templates the documents are made of
_.hAlign  # a flowable's placement in its frame (attachments.py, cover.py)
_.repeatRows  # a table's heading rows, repeated on each page it runs over (cover.py)
_.draw  # Flowable.draw: ReportLab calls it to paint the flowable (casefile.py, styles.py)
_.afterFlowable  # BaseDocTemplate hook, called after each flowable is laid out (templates.py)
_.breakLinesCJK  # Paragraph.breakLinesCJK, overridden; ReportLab's wrap calls it for wordWrap="CJK" (wrap.py)

# -- openpyxl writes these cell and sheet settings into the workbook file
_.number_format
_.fill
_.alignment
_.border
_.freeze_panes
_.print_area
_.print_title_rows
_.paperSize
_.fitToWidth
_.fitToHeight
_.fitToPage
_.horizontalCentered
_.page_margins

# -- the standard library reads these
_.comment  # ZipFile.comment, written into the exchange file: it carries the seal and digest (_package.py)
_.isolation_level  # sqlite3 connection: None turns off pysqlite's own implicit BEGIN (storage/engine.py)

# -- SQLAlchemy: declarative reads the mapper arguments; the columns are the register's schema
__mapper_args__  # models/base.py: the version column for optimistic locking
snapshot_at  # CaseParty: when the party's details were copied into a signed agreement (casework/agreements.py)
recorded_at  # CaseEvent: when the event was entered (set by registration, workflow and the demo)
urgency  # WorkOrder columns, filled from a 12345 work-order file through the column map (hotline/columns.py)
channel
dispatched_at
source_file  # WorkOrder: the file an order was imported from, and when
imported_at
households  # Estate: the number of households (filled by the demo register)

# -- enum members are codes stored in the database and offered in the forms' combo boxes
BUSINESS  # OfficialType: the national dispute types of the monthly statistics form
FOREST_LAND
LAND_ACQUISITION
ENVIRONMENT
LABOUR
MEDICAL
TRAFFIC
THIRD_PARTY  # PartyRole
FULL_TIME  # MediatorKind
HOME_VISIT  # StepForm
PHONE
ON_SITE
REJECTED  # JudicialStatus
PARTIAL  # Performance
BASIC  # Satisfaction
UNSATISFIED
SESSION  # RecordKind

# -- Alembic reads these from each migration script (storage/migrations/versions/)
down_revision
branch_labels
depends_on
downgrade

# -- ui/pages.py names each page's class as a string; the page is imported and fetched by getattr
AccountsPage
AuditPage
CompaniesPage
ExchangePage
MediatorsPage
RemindersPage
SettingsPage
StatisticsPage

# -- Qt calls these overrides of its virtual methods
_.eventFilter  # QObject.eventFilter (idle_lock.py)
_.columnCount  # QAbstractItemModel (paged_rows.py, rows_model.py)
_.headerData

# -- held so Python keeps the object: the main window has no Qt parent (ui/startup.py); tests and bench read it
_.main_window

# -- used by the tests or the benchmarks only: the program itself does not call them
SHEETS  # exports/workbook.py: the sheet names, checked by tests/exports/test_workbook.py
may_act_on_case  # services/permissions.py: tests/services/test_permission_matrix.py, bench/bench_accounts.py
open_case_counts  # services/reference/lists.py: tests/services/test_lists.py
attachments_copied  # services/safety/restore.py RestoreResult: tests/services/test_restore.py
to_revision  # storage/migrate.py UpgradeResult: tests/storage/test_migrations.py
check_register  # storage/check.py: the storage, start-up and fault tests check a register by folder or URL
check_before_opening  # ui/safety_dialogs.py: tests/ui/test_safety_dialogs.py, tests/faults/shutdown_app.py
_.last_export  # exchange_page.py, statistics_page.py: what was last written; the page tests wait for it
_.last_import  # exchange_page.py: tests/ui/test_exchange_page.py
_.import_dialog  # statistics_page.py: the 12345 import dialog last opened; tests/ui/test_statistics_page.py
_.set_period  # statistics_page.py: tests/ui/test_statistics_page.py
_.loading  # statistics_page.py: tests/ui/test_statistics_page.py
_.set_column  # hotline_import_dialog.py: tests/ui/test_statistics_page.py
_.uninstall  # idle_lock.py: tests/ui/test_idle_lock.py, tests/ui/test_app_start.py
_.page_keys  # main_window.py: tests/ui/test_lazy_pages.py, test_app_start.py, test_backup_page.py
_.loaded_rows  # paged_rows.py: tests/ui/test_register_view.py, test_case_table.py, bench/bench_register*.py

# -- storage/keys.py: how the register's own secrets (the audit trail's key, the exchange signing key) are made
_.load_or_create
