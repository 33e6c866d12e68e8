# The names careflow.services exports, each loaded from its module on first use (lazy_loader reads this stub).
from .admin import (
    BackupSummary as BackupSummary,
    DatabaseState as DatabaseState,
    RoleGrant as RoleGrant,
    StoredBaseline as StoredBaseline,
    back_up_database as back_up_database,
    database_state as database_state,
    downgrade_database as downgrade_database,
    grant_role as grant_role,
    load_demo_baseline as load_demo_baseline,
    restore_database as restore_database,
    upgrade_database as upgrade_database,
    web_database_url as web_database_url,
)
from .baseline import (
    BaselineCheck as BaselineCheck,
    baseline_template as baseline_template,
    baseline_workbook as baseline_workbook,
    check_baseline as check_baseline,
    load_baseline as load_baseline,
    read_baseline as read_baseline,
)
from .evidence import (
    BenchmarksResult as BenchmarksResult,
    CouncilList as CouncilList,
    CouncilProfileResult as CouncilProfileResult,
    EvidenceSearch as EvidenceSearch,
    LeverPage as LeverPage,
    OnsPeersResult as OnsPeersResult,
    PeersResult as PeersResult,
    QualityResult as QualityResult,
    TaxonomyResult as TaxonomyResult,
    benchmark_council as benchmark_council,
    council_profile as council_profile,
    evidence_page as evidence_page,
    find_peers as find_peers,
    lever_page as lever_page,
    list_councils as list_councils,
    ons_peers as ons_peers,
    opportunity_values as opportunity_values,
    quality as quality,
    search_evidence as search_evidence,
    taxonomy as taxonomy,
)
from .finance import (
    FinanceCheck as FinanceCheck,
    FinanceLineForecast as FinanceLineForecast,
    FinancePackReport as FinancePackReport,
    FinancePeriod as FinancePeriod,
    FinanceReportResult as FinanceReportResult,
    RollForward as RollForward,
    build_finance_report as build_finance_report,
    check_finance as check_finance,
    finance_period as finance_period,
    finance_report as finance_report,
    finance_template as finance_template,
    roll_forward_pack as roll_forward_pack,
)
from .imports import (
    BaselineImport as BaselineImport,
    PeerBenchmark as PeerBenchmark,
    benchmark_among_peers as benchmark_among_peers,
    client_basis as client_basis,
    import_baselines as import_baselines,
    import_files as import_files,
)
from .indicators import (
    IndicatorDashboard as IndicatorDashboard,
    IndicatorRegistry as IndicatorRegistry,
    indicator_dashboard as indicator_dashboard,
    indicator_registry as indicator_registry,
    indicators_template as indicators_template,
)
from .inputs import RenderedFile as RenderedFile, Source as Source, Upload as Upload
from .national import ATLAS_FILES as ATLAS_FILES, AtlasFiles as AtlasFiles, atlas_files as atlas_files
from .opportunity import (
    OpportunityReport as OpportunityReport,
    evaluate_opportunity as evaluate_opportunity,
    opportunity_report as opportunity_report,
)
from .projection import (
    ProjectionReport as ProjectionReport,
    ScenarioChoice as ScenarioChoice,
    SweepPlan as SweepPlan,
    check_sweep_cluster as check_sweep_cluster,
    choose_scenario as choose_scenario,
    parse_grid as parse_grid,
    plan_sweep as plan_sweep,
    project as project,
    run_sweep as run_sweep,
    sweep_files as sweep_files,
)
from .reviews import (
    CalibrationResult as CalibrationResult,
    ReviewCheck as ReviewCheck,
    ReviewSummaryReport as ReviewSummaryReport,
    ReviewSummaryResult as ReviewSummaryResult,
    calibrate_reviews as calibrate_reviews,
    check_reviews as check_reviews,
    load_reviews as load_reviews,
    reviews_file as reviews_file,
    scenario_yaml as scenario_yaml,
    summarise_reviews as summarise_reviews,
    synthetic_reviews as synthetic_reviews,
)
from .scenarios import load_scenario as load_scenario, scenario_schema as scenario_schema
from .schemas import RESULTS as RESULTS, result_schema as result_schema
