// Generated from gateways/fix/spec/FIX44.xml by tools/fix/generate.ts (npm run gen:fix). Do not edit:
// test/unit/fix/dictionary.test.ts checks this file against the generator.

export type FieldType =
  | 'AMT'
  | 'BOOLEAN'
  | 'CHAR'
  | 'COUNTRY'
  | 'CURRENCY'
  | 'DATA'
  | 'EXCHANGE'
  | 'FLOAT'
  | 'INT'
  | 'LENGTH'
  | 'LOCALMKTDATE'
  | 'MONTHYEAR'
  | 'MULTIPLEVALUESTRING'
  | 'NUMINGROUP'
  | 'PERCENTAGE'
  | 'PRICE'
  | 'PRICEOFFSET'
  | 'QTY'
  | 'SEQNUM'
  | 'STRING'
  | 'UTCTIMESTAMP';

export interface FieldDef {
  tag: number;
  name: string;
  type: FieldType;
  /** Enum value (the wire string) → the dictionary's description, e.g. '1' → 'PARTIALLY_FILLED'. */
  values?: Readonly<Record<string, string>>;
}

export interface FieldEntry {
  kind: 'field';
  tag: number;
  required: boolean;
}

export interface GroupEntry {
  kind: 'group';
  /** The NumInGroup field that counts the instances. */
  countTag: number;
  required: boolean;
  /** The first tag of every instance. */
  delimiter: number;
  entries: readonly Entry[];
}

export type Entry = FieldEntry | GroupEntry;

export interface MessageDef {
  name: string;
  msgType: string;
  category: 'admin' | 'app';
  /** Components flattened in place (a member is required only if it and its component are), groups nested. */
  entries: readonly Entry[];
}

/** Every field's tag by its dictionary name. */
export const TAG = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  ClOrdID: 11,
  Commission: 12,
  CommType: 13,
  CumQty: 14,
  Currency: 15,
  EndSeqNo: 16,
  ExecID: 17,
  ExecInst: 18,
  ExecRefID: 19,
  HandlInst: 21,
  SecurityIDSource: 22,
  IOIID: 23,
  LastCapacity: 29,
  LastMkt: 30,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  Price: 44,
  RefSeqNum: 45,
  SecurityID: 48,
  SenderCompID: 49,
  SenderSubID: 50,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  TargetSubID: 57,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  SettlType: 63,
  SettlDate: 64,
  SymbolSfx: 65,
  ListID: 66,
  AllocID: 70,
  TradeDate: 75,
  PositionEffect: 77,
  NoAllocs: 78,
  AllocAccount: 79,
  AllocQty: 80,
  ProcessCode: 81,
  Signature: 89,
  SecureDataLen: 90,
  SecureData: 91,
  SignatureLength: 93,
  RawDataLength: 95,
  RawData: 96,
  PossResend: 97,
  EncryptMethod: 98,
  StopPx: 99,
  ExDestination: 100,
  CxlRejReason: 102,
  OrdRejReason: 103,
  Issuer: 106,
  SecurityDesc: 107,
  HeartBtInt: 108,
  MinQty: 110,
  MaxFloor: 111,
  TestReqID: 112,
  ReportToExch: 113,
  LocateReqd: 114,
  OnBehalfOfCompID: 115,
  OnBehalfOfSubID: 116,
  QuoteID: 117,
  NetMoney: 118,
  SettlCurrAmt: 119,
  SettlCurrency: 120,
  ForexReq: 121,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ExpireTime: 126,
  DeliverToCompID: 128,
  DeliverToSubID: 129,
  NoMiscFees: 136,
  MiscFeeAmt: 137,
  MiscFeeCurr: 138,
  MiscFeeType: 139,
  PrevClosePx: 140,
  ResetSeqNumFlag: 141,
  SenderLocationID: 142,
  TargetLocationID: 143,
  OnBehalfOfLocationID: 144,
  DeliverToLocationID: 145,
  ExecType: 150,
  LeavesQty: 151,
  CashOrderQty: 152,
  SettlCurrFxRate: 155,
  SettlCurrFxRateCalc: 156,
  NumDaysInterest: 157,
  AccruedInterestRate: 158,
  AccruedInterestAmt: 159,
  SecurityType: 167,
  EffectiveTime: 168,
  OrderQty2: 192,
  SettlDate2: 193,
  LastSpotRate: 194,
  LastForwardPoints: 195,
  SecondaryOrderID: 198,
  MaturityMonthYear: 200,
  PutOrCall: 201,
  StrikePrice: 202,
  CoveredOrUncovered: 203,
  OptAttribute: 206,
  SecurityExchange: 207,
  MaxShow: 210,
  PegOffsetValue: 211,
  XmlDataLen: 212,
  XmlData: 213,
  Spread: 218,
  BenchmarkCurveCurrency: 220,
  BenchmarkCurveName: 221,
  BenchmarkCurvePoint: 222,
  CouponRate: 223,
  CouponPaymentDate: 224,
  IssueDate: 225,
  RepurchaseTerm: 226,
  RepurchaseRate: 227,
  Factor: 228,
  TradeOriginationDate: 229,
  ExDate: 230,
  ContractMultiplier: 231,
  NoStipulations: 232,
  StipulationType: 233,
  StipulationValue: 234,
  YieldType: 235,
  Yield: 236,
  TotalTakedown: 237,
  Concession: 238,
  RepoCollateralSecurityType: 239,
  RedemptionDate: 240,
  UnderlyingCouponPaymentDate: 241,
  UnderlyingIssueDate: 242,
  UnderlyingRepoCollateralSecurityType: 243,
  UnderlyingRepurchaseTerm: 244,
  UnderlyingRepurchaseRate: 245,
  UnderlyingFactor: 246,
  UnderlyingRedemptionDate: 247,
  LegCouponPaymentDate: 248,
  LegIssueDate: 249,
  LegRepoCollateralSecurityType: 250,
  LegRepurchaseTerm: 251,
  LegRepurchaseRate: 252,
  LegFactor: 253,
  LegRedemptionDate: 254,
  CreditRating: 255,
  UnderlyingCreditRating: 256,
  LegCreditRating: 257,
  TradedFlatSwitch: 258,
  BasisFeatureDate: 259,
  BasisFeaturePrice: 260,
  UnderlyingSecurityIDSource: 305,
  UnderlyingIssuer: 306,
  UnderlyingSecurityDesc: 307,
  UnderlyingSecurityExchange: 308,
  UnderlyingSecurityID: 309,
  UnderlyingSecurityType: 310,
  UnderlyingSymbol: 311,
  UnderlyingSymbolSfx: 312,
  UnderlyingMaturityMonthYear: 313,
  UnderlyingPutOrCall: 315,
  UnderlyingStrikePrice: 316,
  UnderlyingOptAttribute: 317,
  UnderlyingCurrency: 318,
  TradingSessionID: 336,
  ContraTrader: 337,
  MessageEncoding: 347,
  EncodedIssuerLen: 348,
  EncodedIssuer: 349,
  EncodedSecurityDescLen: 350,
  EncodedSecurityDesc: 351,
  EncodedTextLen: 354,
  EncodedText: 355,
  EncodedUnderlyingIssuerLen: 362,
  EncodedUnderlyingIssuer: 363,
  EncodedUnderlyingSecurityDescLen: 364,
  EncodedUnderlyingSecurityDesc: 365,
  LastMsgSeqNumProcessed: 369,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  ContraBroker: 375,
  ComplianceID: 376,
  SolicitedFlag: 377,
  ExecRestatementReason: 378,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  GrossTradeAmt: 381,
  NoContraBrokers: 382,
  MaxMessageSize: 383,
  NoMsgTypes: 384,
  MsgDirection: 385,
  NoTradingSessions: 386,
  DiscretionInst: 388,
  DiscretionOffsetValue: 389,
  PriceType: 423,
  DayOrderQty: 424,
  DayCumQty: 425,
  DayAvgPx: 426,
  GTBookingInst: 427,
  ExpireDate: 432,
  CxlRejResponseTo: 434,
  UnderlyingCouponRate: 435,
  UnderlyingContractMultiplier: 436,
  ContraTradeQty: 437,
  ContraTradeTime: 438,
  MultiLegReportingType: 442,
  PartyIDSource: 447,
  PartyID: 448,
  PartyRole: 452,
  NoPartyIDs: 453,
  NoSecurityAltID: 454,
  SecurityAltID: 455,
  SecurityAltIDSource: 456,
  NoUnderlyingSecurityAltID: 457,
  UnderlyingSecurityAltID: 458,
  UnderlyingSecurityAltIDSource: 459,
  Product: 460,
  CFICode: 461,
  UnderlyingProduct: 462,
  UnderlyingCFICode: 463,
  TestMessageIndicator: 464,
  IndividualAllocID: 467,
  RoundingDirection: 468,
  RoundingModulus: 469,
  CountryOfIssue: 470,
  StateOrProvinceOfIssue: 471,
  LocaleOfIssue: 472,
  CommCurrency: 479,
  CancellationRights: 480,
  MoneyLaunderingStatus: 481,
  TransBkdTime: 483,
  ExecPriceType: 484,
  ExecPriceAdjustment: 485,
  Designation: 494,
  FundRenewWaiv: 497,
  RegistID: 513,
  ExecValuationPoint: 515,
  OrderPercent: 516,
  NoContAmts: 518,
  ContAmtType: 519,
  ContAmtValue: 520,
  ContAmtCurr: 521,
  PartySubID: 523,
  NestedPartyID: 524,
  NestedPartyIDSource: 525,
  SecondaryClOrdID: 526,
  SecondaryExecID: 527,
  OrderCapacity: 528,
  OrderRestrictions: 529,
  NestedPartyRole: 538,
  NoNestedPartyIDs: 539,
  MaturityDate: 541,
  UnderlyingMaturityDate: 542,
  InstrRegistry: 543,
  CashMargin: 544,
  NestedPartySubID: 545,
  CrossID: 548,
  CrossType: 549,
  OrigCrossID: 551,
  Username: 553,
  Password: 554,
  NoLegs: 555,
  LegCurrency: 556,
  LegPositionEffect: 564,
  LegCoveredOrUncovered: 565,
  LegPrice: 566,
  AccountType: 581,
  CustOrderCapacity: 582,
  ClOrdLinkID: 583,
  MassStatusReqID: 584,
  OrigOrdModTime: 586,
  LegSettlType: 587,
  LegSettlDate: 588,
  DayBookingInst: 589,
  BookingUnit: 590,
  PreallocMethod: 591,
  UnderlyingCountryOfIssue: 592,
  UnderlyingStateOrProvinceOfIssue: 593,
  UnderlyingLocaleOfIssue: 594,
  UnderlyingInstrRegistry: 595,
  LegCountryOfIssue: 596,
  LegStateOrProvinceOfIssue: 597,
  LegLocaleOfIssue: 598,
  LegInstrRegistry: 599,
  LegSymbol: 600,
  LegSymbolSfx: 601,
  LegSecurityID: 602,
  LegSecurityIDSource: 603,
  NoLegSecurityAltID: 604,
  LegSecurityAltID: 605,
  LegSecurityAltIDSource: 606,
  LegProduct: 607,
  LegCFICode: 608,
  LegSecurityType: 609,
  LegMaturityMonthYear: 610,
  LegMaturityDate: 611,
  LegStrikePrice: 612,
  LegOptAttribute: 613,
  LegContractMultiplier: 614,
  LegCouponRate: 615,
  LegSecurityExchange: 616,
  LegIssuer: 617,
  EncodedLegIssuerLen: 618,
  EncodedLegIssuer: 619,
  LegSecurityDesc: 620,
  EncodedLegSecurityDescLen: 621,
  EncodedLegSecurityDesc: 622,
  LegRatioQty: 623,
  LegSide: 624,
  TradingSessionSubID: 625,
  NoHops: 627,
  HopCompID: 628,
  HopSendingTime: 629,
  HopRefID: 630,
  ClearingFeeIndicator: 635,
  WorkingIndicator: 636,
  LegLastPx: 637,
  PriorityIndicator: 638,
  PriceImprovement: 639,
  Price2: 640,
  LastForwardPoints2: 641,
  UnderlyingLastPx: 651,
  UnderlyingLastQty: 652,
  LegRefID: 654,
  ContraLegRefID: 655,
  AcctIDSource: 660,
  AllocAcctIDSource: 661,
  BenchmarkPrice: 662,
  BenchmarkPriceType: 663,
  ContractSettlMonth: 667,
  LastParPx: 669,
  NoLegStipulations: 683,
  LegQty: 687,
  LegStipulationType: 688,
  LegStipulationValue: 689,
  LegSwapType: 690,
  Pool: 691,
  QuoteRespID: 693,
  YieldRedemptionDate: 696,
  YieldRedemptionPrice: 697,
  YieldRedemptionPriceType: 698,
  BenchmarkSecurityID: 699,
  YieldCalcDate: 701,
  NoUnderlyings: 711,
  AllocSettlCurrency: 736,
  InterestAtMaturity: 738,
  LegDatedDate: 739,
  LegPool: 740,
  BenchmarkSecurityIDSource: 761,
  SecuritySubType: 762,
  UnderlyingSecuritySubType: 763,
  LegSecuritySubType: 764,
  BookingType: 775,
  TerminationType: 788,
  NextExpectedMsgSeqNum: 789,
  OrdStatusReqID: 790,
  CopyMsgIndicator: 797,
  NoPartySubIDs: 802,
  PartySubIDType: 803,
  NoNestedPartySubIDs: 804,
  NestedPartySubIDType: 805,
  UnderlyingPx: 810,
  PegMoveType: 835,
  PegOffsetType: 836,
  PegLimitType: 837,
  PegRoundDirection: 838,
  PeggedPrice: 839,
  PegScope: 840,
  DiscretionMoveType: 841,
  DiscretionOffsetType: 842,
  DiscretionLimitType: 843,
  DiscretionRoundDirection: 844,
  DiscretionPrice: 845,
  DiscretionScope: 846,
  TargetStrategy: 847,
  TargetStrategyParameters: 848,
  ParticipationRate: 849,
  TargetStrategyPerformance: 850,
  LastLiquidityInd: 851,
  QtyType: 854,
  NoEvents: 864,
  EventType: 865,
  EventDate: 866,
  EventPx: 867,
  EventText: 868,
  DatedDate: 873,
  InterestAccrualDate: 874,
  CPProgram: 875,
  CPRegType: 876,
  UnderlyingCPProgram: 877,
  UnderlyingCPRegType: 878,
  UnderlyingQty: 879,
  UnderlyingDirtyPrice: 882,
  UnderlyingEndPrice: 883,
  UnderlyingStartValue: 884,
  UnderlyingCurrentValue: 885,
  UnderlyingEndValue: 886,
  NoUnderlyingStips: 887,
  UnderlyingStipType: 888,
  UnderlyingStipValue: 889,
  MiscFeeBasis: 891,
  MarginRatio: 898,
  TotNumReports: 911,
  LastRptRequested: 912,
  AgreementDesc: 913,
  AgreementID: 914,
  AgreementDate: 915,
  StartDate: 916,
  EndDate: 917,
  AgreementCurrency: 918,
  DeliveryType: 919,
  EndAccruedInterestAmt: 920,
  StartCash: 921,
  EndCash: 922,
  UnderlyingStrikeCurrency: 941,
  LegStrikeCurrency: 942,
  TimeBracket: 943,
  StrikeCurrency: 947,
  LegContractSettlMonth: 955,
  LegInterestAccrualDate: 956,
} as const;

/** Field definitions by tag. */
export const FIELDS: Readonly<Record<number, FieldDef>> = {
  1: { tag: 1, name: 'Account', type: 'STRING' },
  6: { tag: 6, name: 'AvgPx', type: 'PRICE' },
  7: { tag: 7, name: 'BeginSeqNo', type: 'SEQNUM' },
  8: { tag: 8, name: 'BeginString', type: 'STRING' },
  9: { tag: 9, name: 'BodyLength', type: 'LENGTH' },
  10: { tag: 10, name: 'CheckSum', type: 'STRING' },
  11: { tag: 11, name: 'ClOrdID', type: 'STRING' },
  12: { tag: 12, name: 'Commission', type: 'AMT' },
  13: {
    tag: 13,
    name: 'CommType',
    type: 'CHAR',
    values: {
      '1': 'PER_UNIT',
      '2': 'PERCENTAGE',
      '3': 'ABSOLUTE',
      '4': 'PERCENTAGE_WAIVED_CASH_DISCOUNT',
      '5': 'PERCENTAGE_WAIVED_ENHANCED_UNITS',
      '6': 'POINTS_PER_BOND_OR_OR_CONTRACT',
    },
  },
  14: { tag: 14, name: 'CumQty', type: 'QTY' },
  15: { tag: 15, name: 'Currency', type: 'CURRENCY' },
  16: { tag: 16, name: 'EndSeqNo', type: 'SEQNUM' },
  17: { tag: 17, name: 'ExecID', type: 'STRING' },
  18: {
    tag: 18,
    name: 'ExecInst',
    type: 'MULTIPLEVALUESTRING',
    values: {
      '1': 'NOT_HELD',
      '2': 'WORK',
      '3': 'GO_ALONG',
      '4': 'OVER_THE_DAY',
      '5': 'HELD',
      '6': 'PARTICIPATE_DONT_INITIATE',
      '7': 'STRICT_SCALE',
      '8': 'TRY_TO_SCALE',
      '9': 'STAY_ON_BIDSIDE',
      '0': 'STAY_ON_OFFERSIDE',
      A: 'NO_CROSS',
      B: 'OK_TO_CROSS',
      C: 'CALL_FIRST',
      D: 'PERCENT_OF_VOLUME',
      E: 'DO_NOT_INCREASE',
      F: 'DO_NOT_REDUCE',
      G: 'ALL_OR_NONE',
      H: 'REINSTATE_ON_SYSTEM_FAILURE',
      I: 'INSTITUTIONS_ONLY',
      J: 'REINSTATE_ON_TRADING_HALT',
      K: 'CANCEL_ON_TRADING_HALT',
      L: 'LAST_PEG',
      M: 'MID_PRICE',
      N: 'NON_NEGOTIABLE',
      O: 'OPENING_PEG',
      P: 'MARKET_PEG',
      Q: 'CANCEL_ON_SYSTEM_FAILURE',
      R: 'PRIMARY_PEG',
      S: 'SUSPEND',
      T: 'FIXED_PEG_TO_LOCAL_BEST_BID_OR_OFFER_AT_TIME_OF_ORDER',
      U: 'CUSTOMER_DISPLAY_INSTRUCTION',
      V: 'NETTING',
      W: 'PEG_TO_VWAP',
      X: 'TRADE_ALONG',
      Y: 'TRY_TO_STOP',
      Z: 'CANCEL_IF_NOT_BEST',
      a: 'TRAILING_STOP_PEG',
      b: 'STRICT_LIMIT',
      c: 'IGNORE_PRICE_VALIDITY_CHECKS',
      d: 'PEG_TO_LIMIT_PRICE',
      e: 'WORK_TO_TARGET_STRATEGY',
    },
  },
  19: { tag: 19, name: 'ExecRefID', type: 'STRING' },
  21: {
    tag: 21,
    name: 'HandlInst',
    type: 'CHAR',
    values: { '1': 'AUTOMATED_EXECUTION_ORDER_PRIVATE', '2': 'AUTOMATED_EXECUTION_ORDER_PUBLIC', '3': 'MANUAL_ORDER' },
  },
  22: {
    tag: 22,
    name: 'SecurityIDSource',
    type: 'STRING',
    values: {
      '1': 'CUSIP',
      '2': 'SEDOL',
      '3': 'QUIK',
      '4': 'ISIN_NUMBER',
      '5': 'RIC_CODE',
      '6': 'ISO_CURRENCY_CODE',
      '7': 'ISO_COUNTRY_CODE',
      '8': 'EXCHANGE_SYMBOL',
      '9': 'CONSOLIDATED_TAPE_ASSOCIATION',
      A: 'BLOOMBERG_SYMBOL',
      B: 'WERTPAPIER',
      C: 'DUTCH',
      D: 'VALOREN',
      E: 'SICOVAM',
      F: 'BELGIAN',
      G: 'COMMON',
      H: 'CLEARING_HOUSE_CLEARING_ORGANIZATION',
      I: 'ISDA_FPML_PRODUCT_SPECIFICATION',
      J: 'OPTIONS_PRICE_REPORTING_AUTHORITY',
    },
  },
  23: { tag: 23, name: 'IOIID', type: 'STRING' },
  29: {
    tag: 29,
    name: 'LastCapacity',
    type: 'CHAR',
    values: { '1': 'AGENT', '2': 'CROSS_AS_AGENT', '3': 'CROSS_AS_PRINCIPAL', '4': 'PRINCIPAL' },
  },
  30: { tag: 30, name: 'LastMkt', type: 'EXCHANGE' },
  31: { tag: 31, name: 'LastPx', type: 'PRICE' },
  32: { tag: 32, name: 'LastQty', type: 'QTY' },
  34: { tag: 34, name: 'MsgSeqNum', type: 'SEQNUM' },
  35: {
    tag: 35,
    name: 'MsgType',
    type: 'STRING',
    values: {
      '0': 'HEARTBEAT',
      '1': 'TEST_REQUEST',
      '2': 'RESEND_REQUEST',
      '3': 'REJECT',
      '4': 'SEQUENCE_RESET',
      '5': 'LOGOUT',
      '6': 'INDICATION_OF_INTEREST',
      '7': 'ADVERTISEMENT',
      '8': 'EXECUTION_REPORT',
      '9': 'ORDER_CANCEL_REJECT',
      A: 'LOGON',
      B: 'NEWS',
      C: 'EMAIL',
      D: 'ORDER_SINGLE',
      E: 'ORDER_LIST',
      F: 'ORDER_CANCEL_REQUEST',
      G: 'ORDER_CANCEL_REPLACE_REQUEST',
      H: 'ORDER_STATUS_REQUEST',
      J: 'ALLOCATION_INSTRUCTION',
      K: 'LIST_CANCEL_REQUEST',
      L: 'LIST_EXECUTE',
      M: 'LIST_STATUS_REQUEST',
      N: 'LIST_STATUS',
      P: 'ALLOCATION_INSTRUCTION_ACK',
      Q: 'DONT_KNOW_TRADE',
      R: 'QUOTE_REQUEST',
      S: 'QUOTE',
      T: 'SETTLEMENT_INSTRUCTIONS',
      V: 'MARKET_DATA_REQUEST',
      W: 'MARKET_DATA_SNAPSHOT_FULL_REFRESH',
      X: 'MARKET_DATA_INCREMENTAL_REFRESH',
      Y: 'MARKET_DATA_REQUEST_REJECT',
      Z: 'QUOTE_CANCEL',
      a: 'QUOTE_STATUS_REQUEST',
      b: 'MASS_QUOTE_ACKNOWLEDGEMENT',
      c: 'SECURITY_DEFINITION_REQUEST',
      d: 'SECURITY_DEFINITION',
      e: 'SECURITY_STATUS_REQUEST',
      f: 'SECURITY_STATUS',
      g: 'TRADING_SESSION_STATUS_REQUEST',
      h: 'TRADING_SESSION_STATUS',
      i: 'MASS_QUOTE',
      j: 'BUSINESS_MESSAGE_REJECT',
      k: 'BID_REQUEST',
      l: 'BID_RESPONSE',
      m: 'LIST_STRIKE_PRICE',
      n: 'XML_MESSAGE',
      o: 'REGISTRATION_INSTRUCTIONS',
      p: 'REGISTRATION_INSTRUCTIONS_RESPONSE',
      q: 'ORDER_MASS_CANCEL_REQUEST',
      r: 'ORDER_MASS_CANCEL_REPORT',
      s: 'NEW_ORDER_CROSS',
      t: 'CROSS_ORDER_CANCEL_REPLACE_REQUEST',
      u: 'CROSS_ORDER_CANCEL_REQUEST',
      v: 'SECURITY_TYPE_REQUEST',
      w: 'SECURITY_TYPES',
      x: 'SECURITY_LIST_REQUEST',
      y: 'SECURITY_LIST',
      z: 'DERIVATIVE_SECURITY_LIST_REQUEST',
      AA: 'DERIVATIVE_SECURITY_LIST',
      AB: 'NEW_ORDER_MULTILEG',
      AC: 'MULTILEG_ORDER_CANCEL_REPLACE',
      AD: 'TRADE_CAPTURE_REPORT_REQUEST',
      AE: 'TRADE_CAPTURE_REPORT',
      AF: 'ORDER_MASS_STATUS_REQUEST',
      AG: 'QUOTE_REQUEST_REJECT',
      AH: 'RFQ_REQUEST',
      AI: 'QUOTE_STATUS_REPORT',
      AJ: 'QUOTE_RESPONSE',
      AK: 'CONFIRMATION',
      AL: 'POSITION_MAINTENANCE_REQUEST',
      AM: 'POSITION_MAINTENANCE_REPORT',
      AN: 'REQUEST_FOR_POSITIONS',
      AO: 'REQUEST_FOR_POSITIONS_ACK',
      AP: 'POSITION_REPORT',
      AQ: 'TRADE_CAPTURE_REPORT_REQUEST_ACK',
      AR: 'TRADE_CAPTURE_REPORT_ACK',
      AS: 'ALLOCATION_REPORT',
      AT: 'ALLOCATION_REPORT_ACK',
      AU: 'CONFIRMATION_ACK',
      AV: 'SETTLEMENT_INSTRUCTION_REQUEST',
      AW: 'ASSIGNMENT_REPORT',
      AX: 'COLLATERAL_REQUEST',
      AY: 'COLLATERAL_ASSIGNMENT',
      AZ: 'COLLATERAL_RESPONSE',
      BA: 'COLLATERAL_REPORT',
      BB: 'COLLATERAL_INQUIRY',
      BC: 'NETWORK_STATUS_REQUEST',
      BD: 'NETWORK_STATUS_RESPONSE',
      BE: 'USER_REQUEST',
      BF: 'USER_RESPONSE',
      BG: 'COLLATERAL_INQUIRY_ACK',
      BH: 'CONFIRMATION_REQUEST',
    },
  },
  36: { tag: 36, name: 'NewSeqNo', type: 'SEQNUM' },
  37: { tag: 37, name: 'OrderID', type: 'STRING' },
  38: { tag: 38, name: 'OrderQty', type: 'QTY' },
  39: {
    tag: 39,
    name: 'OrdStatus',
    type: 'CHAR',
    values: {
      '0': 'NEW',
      '1': 'PARTIALLY_FILLED',
      '2': 'FILLED',
      '3': 'DONE_FOR_DAY',
      '4': 'CANCELED',
      '5': 'REPLACED',
      '6': 'PENDING_CANCEL',
      '7': 'STOPPED',
      '8': 'REJECTED',
      '9': 'SUSPENDED',
      A: 'PENDING_NEW',
      B: 'CALCULATED',
      C: 'EXPIRED',
      D: 'ACCEPTED_FOR_BIDDING',
      E: 'PENDING_REPLACE',
    },
  },
  40: {
    tag: 40,
    name: 'OrdType',
    type: 'CHAR',
    values: {
      '1': 'MARKET',
      '2': 'LIMIT',
      '3': 'STOP',
      '4': 'STOP_LIMIT',
      '5': 'MARKET_ON_CLOSE',
      '6': 'WITH_OR_WITHOUT',
      '7': 'LIMIT_OR_BETTER',
      '8': 'LIMIT_WITH_OR_WITHOUT',
      '9': 'ON_BASIS',
      A: 'ON_CLOSE',
      B: 'LIMIT_ON_CLOSE',
      C: 'FOREX_MARKET',
      D: 'PREVIOUSLY_QUOTED',
      E: 'PREVIOUSLY_INDICATED',
      F: 'FOREX_LIMIT',
      G: 'FOREX_SWAP',
      H: 'FOREX_PREVIOUSLY_QUOTED',
      I: 'FUNARI',
      J: 'MARKET_IF_TOUCHED',
      K: 'MARKET_WITH_LEFTOVER_AS_LIMIT',
      L: 'PREVIOUS_FUND_VALUATION_POINT',
      M: 'NEXT_FUND_VALUATION_POINT',
      P: 'PEGGED',
    },
  },
  41: { tag: 41, name: 'OrigClOrdID', type: 'STRING' },
  43: { tag: 43, name: 'PossDupFlag', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  44: { tag: 44, name: 'Price', type: 'PRICE' },
  45: { tag: 45, name: 'RefSeqNum', type: 'SEQNUM' },
  48: { tag: 48, name: 'SecurityID', type: 'STRING' },
  49: { tag: 49, name: 'SenderCompID', type: 'STRING' },
  50: { tag: 50, name: 'SenderSubID', type: 'STRING' },
  52: { tag: 52, name: 'SendingTime', type: 'UTCTIMESTAMP' },
  54: {
    tag: 54,
    name: 'Side',
    type: 'CHAR',
    values: {
      '1': 'BUY',
      '2': 'SELL',
      '3': 'BUY_MINUS',
      '4': 'SELL_PLUS',
      '5': 'SELL_SHORT',
      '6': 'SELL_SHORT_EXEMPT',
      '7': 'UNDISCLOSED',
      '8': 'CROSS',
      '9': 'CROSS_SHORT',
      A: 'CROSS_SHORT_EXEMPT',
      B: 'AS_DEFINED',
      C: 'OPPOSITE',
      D: 'SUBSCRIBE',
      E: 'REDEEM',
      F: 'LEND',
      G: 'BORROW',
    },
  },
  55: { tag: 55, name: 'Symbol', type: 'STRING' },
  56: { tag: 56, name: 'TargetCompID', type: 'STRING' },
  57: { tag: 57, name: 'TargetSubID', type: 'STRING' },
  58: { tag: 58, name: 'Text', type: 'STRING' },
  59: {
    tag: 59,
    name: 'TimeInForce',
    type: 'CHAR',
    values: {
      '0': 'DAY',
      '1': 'GOOD_TILL_CANCEL',
      '2': 'AT_THE_OPENING',
      '3': 'IMMEDIATE_OR_CANCEL',
      '4': 'FILL_OR_KILL',
      '5': 'GOOD_TILL_CROSSING',
      '6': 'GOOD_TILL_DATE',
      '7': 'AT_THE_CLOSE',
    },
  },
  60: { tag: 60, name: 'TransactTime', type: 'UTCTIMESTAMP' },
  63: {
    tag: 63,
    name: 'SettlType',
    type: 'CHAR',
    values: {
      '0': 'REGULAR',
      '1': 'CASH',
      '2': 'NEXT_DAY',
      '3': 'T_PLUS_2',
      '4': 'T_PLUS_3',
      '5': 'T_PLUS_4',
      '6': 'FUTURE',
      '7': 'WHEN_AND_IF_ISSUED',
      '8': 'SELLERS_OPTION',
      '9': 'T_PLUS_5',
    },
  },
  64: { tag: 64, name: 'SettlDate', type: 'LOCALMKTDATE' },
  65: {
    tag: 65,
    name: 'SymbolSfx',
    type: 'STRING',
    values: { WI: 'WHEN_ISSUED', CD: 'A_EUCP_WITH_LUMP_SUM_INTEREST' },
  },
  66: { tag: 66, name: 'ListID', type: 'STRING' },
  70: { tag: 70, name: 'AllocID', type: 'STRING' },
  75: { tag: 75, name: 'TradeDate', type: 'LOCALMKTDATE' },
  77: { tag: 77, name: 'PositionEffect', type: 'CHAR', values: { O: 'OPEN', C: 'CLOSE', R: 'ROLLED', F: 'FIFO' } },
  78: { tag: 78, name: 'NoAllocs', type: 'NUMINGROUP' },
  79: { tag: 79, name: 'AllocAccount', type: 'STRING' },
  80: { tag: 80, name: 'AllocQty', type: 'QTY' },
  81: {
    tag: 81,
    name: 'ProcessCode',
    type: 'CHAR',
    values: {
      '0': 'REGULAR',
      '1': 'SOFT_DOLLAR',
      '2': 'STEP_IN',
      '3': 'STEP_OUT',
      '4': 'SOFT_DOLLAR_STEP_IN',
      '5': 'SOFT_DOLLAR_STEP_OUT',
      '6': 'PLAN_SPONSOR',
    },
  },
  89: { tag: 89, name: 'Signature', type: 'DATA' },
  90: { tag: 90, name: 'SecureDataLen', type: 'LENGTH' },
  91: { tag: 91, name: 'SecureData', type: 'DATA' },
  93: { tag: 93, name: 'SignatureLength', type: 'LENGTH' },
  95: { tag: 95, name: 'RawDataLength', type: 'LENGTH' },
  96: { tag: 96, name: 'RawData', type: 'DATA' },
  97: { tag: 97, name: 'PossResend', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  98: {
    tag: 98,
    name: 'EncryptMethod',
    type: 'INT',
    values: {
      '0': 'NONE_OTHER',
      '1': 'PKCS',
      '2': 'DES',
      '3': 'PKCS_DES',
      '4': 'PGP_DES',
      '5': 'PGP_DES_MD5',
      '6': 'PEM_DES_MD5',
    },
  },
  99: { tag: 99, name: 'StopPx', type: 'PRICE' },
  100: { tag: 100, name: 'ExDestination', type: 'EXCHANGE' },
  102: {
    tag: 102,
    name: 'CxlRejReason',
    type: 'INT',
    values: {
      '0': 'TOO_LATE_TO_CANCEL',
      '1': 'UNKNOWN_ORDER',
      '2': 'BROKER_EXCHANGE_OPTION',
      '3': 'ORDER_ALREADY_IN_PENDING_CANCEL_OR_PENDING_REPLACE_STATUS',
      '4': 'UNABLE_TO_PROCESS_ORDER_MASS_CANCEL_REQUEST',
      '5': 'ORIGORDMODTIME_DID_NOT_MATCH_LAST_TRANSACTTIME_OF_ORDER',
      '6': 'DUPLICATE_CLORDID_RECEIVED',
      '99': 'OTHER',
    },
  },
  103: {
    tag: 103,
    name: 'OrdRejReason',
    type: 'INT',
    values: {
      '0': 'BROKER_EXCHANGE_OPTION',
      '1': 'UNKNOWN_SYMBOL',
      '2': 'EXCHANGE_CLOSED',
      '3': 'ORDER_EXCEEDS_LIMIT',
      '4': 'TOO_LATE_TO_ENTER',
      '5': 'UNKNOWN_ORDER',
      '6': 'DUPLICATE_ORDER',
      '7': 'DUPLICATE_OF_A_VERBALLY_COMMUNICATED_ORDER',
      '8': 'STALE_ORDER',
      '9': 'TRADE_ALONG_REQUIRED',
      '10': 'INVALID_INVESTOR_ID',
      '11': 'UNSUPPORTED_ORDER_CHARACTERISTIC',
      '12': 'SURVEILLENCE_OPTION',
      '13': 'INCORRECT_QUANTITY',
      '14': 'INCORRECT_ALLOCATED_QUANTITY',
      '15': 'UNKNOWN_ACCOUNT',
      '99': 'OTHER',
    },
  },
  106: { tag: 106, name: 'Issuer', type: 'STRING' },
  107: { tag: 107, name: 'SecurityDesc', type: 'STRING' },
  108: { tag: 108, name: 'HeartBtInt', type: 'INT' },
  110: { tag: 110, name: 'MinQty', type: 'QTY' },
  111: { tag: 111, name: 'MaxFloor', type: 'QTY' },
  112: { tag: 112, name: 'TestReqID', type: 'STRING' },
  113: { tag: 113, name: 'ReportToExch', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  114: { tag: 114, name: 'LocateReqd', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  115: { tag: 115, name: 'OnBehalfOfCompID', type: 'STRING' },
  116: { tag: 116, name: 'OnBehalfOfSubID', type: 'STRING' },
  117: { tag: 117, name: 'QuoteID', type: 'STRING' },
  118: { tag: 118, name: 'NetMoney', type: 'AMT' },
  119: { tag: 119, name: 'SettlCurrAmt', type: 'AMT' },
  120: { tag: 120, name: 'SettlCurrency', type: 'CURRENCY' },
  121: { tag: 121, name: 'ForexReq', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  122: { tag: 122, name: 'OrigSendingTime', type: 'UTCTIMESTAMP' },
  123: { tag: 123, name: 'GapFillFlag', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  126: { tag: 126, name: 'ExpireTime', type: 'UTCTIMESTAMP' },
  128: { tag: 128, name: 'DeliverToCompID', type: 'STRING' },
  129: { tag: 129, name: 'DeliverToSubID', type: 'STRING' },
  136: { tag: 136, name: 'NoMiscFees', type: 'NUMINGROUP' },
  137: { tag: 137, name: 'MiscFeeAmt', type: 'AMT' },
  138: { tag: 138, name: 'MiscFeeCurr', type: 'CURRENCY' },
  139: {
    tag: 139,
    name: 'MiscFeeType',
    type: 'CHAR',
    values: {
      '1': 'REGULATORY',
      '2': 'TAX',
      '3': 'LOCAL_COMMISSION',
      '4': 'EXCHANGE_FEES',
      '5': 'STAMP',
      '6': 'LEVY',
      '7': 'OTHER',
      '8': 'MARKUP',
      '9': 'CONSUMPTION_TAX',
      '10': 'PER_TRANSACTION',
      '11': 'CONVERSION',
      '12': 'AGENT',
    },
  },
  140: { tag: 140, name: 'PrevClosePx', type: 'PRICE' },
  141: { tag: 141, name: 'ResetSeqNumFlag', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  142: { tag: 142, name: 'SenderLocationID', type: 'STRING' },
  143: { tag: 143, name: 'TargetLocationID', type: 'STRING' },
  144: { tag: 144, name: 'OnBehalfOfLocationID', type: 'STRING' },
  145: { tag: 145, name: 'DeliverToLocationID', type: 'STRING' },
  150: {
    tag: 150,
    name: 'ExecType',
    type: 'CHAR',
    values: {
      '0': 'NEW',
      '1': 'PARTIAL_FILL',
      '2': 'FILL',
      '3': 'DONE_FOR_DAY',
      '4': 'CANCELED',
      '5': 'REPLACE',
      '6': 'PENDING_CANCEL',
      '7': 'STOPPED',
      '8': 'REJECTED',
      '9': 'SUSPENDED',
      A: 'PENDING_NEW',
      B: 'CALCULATED',
      C: 'EXPIRED',
      D: 'RESTATED',
      E: 'PENDING_REPLACE',
      F: 'TRADE',
      G: 'TRADE_CORRECT',
      H: 'TRADE_CANCEL',
      I: 'ORDER_STATUS',
    },
  },
  151: { tag: 151, name: 'LeavesQty', type: 'QTY' },
  152: { tag: 152, name: 'CashOrderQty', type: 'QTY' },
  155: { tag: 155, name: 'SettlCurrFxRate', type: 'FLOAT' },
  156: { tag: 156, name: 'SettlCurrFxRateCalc', type: 'CHAR', values: { M: 'MULTIPLY', D: 'DIVIDE' } },
  157: { tag: 157, name: 'NumDaysInterest', type: 'INT' },
  158: { tag: 158, name: 'AccruedInterestRate', type: 'PERCENTAGE' },
  159: { tag: 159, name: 'AccruedInterestAmt', type: 'AMT' },
  167: {
    tag: 167,
    name: 'SecurityType',
    type: 'STRING',
    values: {
      '?': 'WILDCARD',
      ABS: 'ASSET_BACKED_SECURITIES',
      AMENDED: 'AMENDED_AND_RESTATED',
      AN: 'OTHER_ANTICIPATION_NOTES',
      BA: 'BANKERS_ACCEPTANCE',
      BN: 'BANK_NOTES',
      BOX: 'BILL_OF_EXCHANGES',
      BRADY: 'BRADY_BOND',
      BRIDGE: 'BRIDGE_LOAN',
      BUYSELL: 'BUY_SELLBACK',
      CB: 'CONVERTIBLE_BOND',
      CD: 'CERTIFICATE_OF_DEPOSIT',
      CL: 'CALL_LOANS',
      CMBS: 'CORP_MORTGAGE_BACKED_SECURITIES',
      CMO: 'COLLATERALIZED_MORTGAGE_OBLIGATION',
      COFO: 'CERTIFICATE_OF_OBLIGATION',
      COFP: 'CERTIFICATE_OF_PARTICIPATION',
      CORP: 'CORPORATE_BOND',
      CP: 'COMMERCIAL_PAPER',
      CPP: 'CORPORATE_PRIVATE_PLACEMENT',
      CS: 'COMMON_STOCK',
      DEFLTED: 'DEFAULTED',
      DINP: 'DEBTOR_IN_POSSESSION',
      DN: 'DEPOSIT_NOTES',
      DUAL: 'DUAL_CURRENCY',
      EUCD: 'EURO_CERTIFICATE_OF_DEPOSIT',
      EUCORP: 'EURO_CORPORATE_BOND',
      EUCP: 'EURO_COMMERCIAL_PAPER',
      EUSOV: 'EURO_SOVEREIGNS',
      EUSUPRA: 'EURO_SUPRANATIONAL_COUPONS',
      FAC: 'FEDERAL_AGENCY_COUPON',
      FADN: 'FEDERAL_AGENCY_DISCOUNT_NOTE',
      FOR: 'FOREIGN_EXCHANGE_CONTRACT',
      FORWARD: 'FORWARD',
      FUT: 'FUTURE',
      GO: 'GENERAL_OBLIGATION_BONDS',
      IET: 'IOETTE_MORTGAGE',
      LOFC: 'LETTER_OF_CREDIT',
      LQN: 'LIQUIDITY_NOTE',
      MATURED: 'MATURED',
      MBS: 'MORTGAGE_BACKED_SECURITIES',
      MF: 'MUTUAL_FUND',
      MIO: 'MORTGAGE_INTEREST_ONLY',
      MLEG: 'MULTI_LEG_INSTRUMENT',
      MPO: 'MORTGAGE_PRINCIPAL_ONLY',
      MPP: 'MORTGAGE_PRIVATE_PLACEMENT',
      MPT: 'MISCELLANEOUS_PASS_THROUGH',
      MT: 'MANDATORY_TENDER',
      MTN: 'MEDIUM_TERM_NOTES',
      NONE: 'NO_SECURITY_TYPE',
      ONITE: 'OVERNIGHT',
      OPT: 'OPTION',
      PEF: 'PRIVATE_EXPORT_FUNDING',
      PFAND: 'PFANDBRIEFE',
      PN: 'PROMISSORY_NOTE',
      PS: 'PREFERRED_STOCK',
      PZFJ: 'PLAZOS_FIJOS',
      RAN: 'REVENUE_ANTICIPATION_NOTE',
      REPLACD: 'REPLACED',
      REPO: 'REPURCHASE',
      RETIRED: 'RETIRED',
      REV: 'REVENUE_BONDS',
      RVLV: 'REVOLVER_LOAN',
      RVLVTRM: 'REVOLVER_TERM_LOAN',
      SECLOAN: 'SECURITIES_LOAN',
      SECPLEDGE: 'SECURITIES_PLEDGE',
      SPCLA: 'SPECIAL_ASSESSMENT',
      SPCLO: 'SPECIAL_OBLIGATION',
      SPCLT: 'SPECIAL_TAX',
      STN: 'SHORT_TERM_LOAN_NOTE',
      STRUCT: 'STRUCTURED_NOTES',
      SUPRA: 'USD_SUPRANATIONAL_COUPONS',
      SWING: 'SWING_LINE_FACILITY',
      TAN: 'TAX_ANTICIPATION_NOTE',
      TAXA: 'TAX_ALLOCATION',
      TBA: 'TO_BE_ANNOUNCED',
      TBILL: 'US_TREASURY_BILL',
      TBOND: 'US_TREASURY_BOND',
      TCAL: 'PRINCIPAL_STRIP_OF_A_CALLABLE_BOND_OR_NOTE',
      TD: 'TIME_DEPOSIT',
      TECP: 'TAX_EXEMPT_COMMERCIAL_PAPER',
      TERM: 'TERM_LOAN',
      TINT: 'INTEREST_STRIP_FROM_ANY_BOND_OR_NOTE',
      TIPS: 'TREASURY_INFLATION_PROTECTED_SECURITIES',
      TNOTE: 'US_TREASURY_NOTE',
      TPRN: 'PRINCIPAL_STRIP_FROM_A_NON_CALLABLE_BOND_OR_NOTE',
      TRAN: 'TAX_AND_REVENUE_ANTICIPATION_NOTE',
      VRDN: 'VARIABLE_RATE_DEMAND_NOTE',
      WAR: 'WARRANT',
      WITHDRN: 'WITHDRAWN',
      XCN: 'EXTENDED_COMM_NOTE',
      XLINKD: 'INDEXED_LINKED',
      YANK: 'YANKEE_CORPORATE_BOND',
      YCD: 'YANKEE_CERTIFICATE_OF_DEPOSIT',
    },
  },
  168: { tag: 168, name: 'EffectiveTime', type: 'UTCTIMESTAMP' },
  192: { tag: 192, name: 'OrderQty2', type: 'QTY' },
  193: { tag: 193, name: 'SettlDate2', type: 'LOCALMKTDATE' },
  194: { tag: 194, name: 'LastSpotRate', type: 'PRICE' },
  195: { tag: 195, name: 'LastForwardPoints', type: 'PRICEOFFSET' },
  198: { tag: 198, name: 'SecondaryOrderID', type: 'STRING' },
  200: { tag: 200, name: 'MaturityMonthYear', type: 'MONTHYEAR' },
  201: { tag: 201, name: 'PutOrCall', type: 'INT', values: { '0': 'PUT', '1': 'CALL' } },
  202: { tag: 202, name: 'StrikePrice', type: 'PRICE' },
  203: { tag: 203, name: 'CoveredOrUncovered', type: 'INT', values: { '0': 'COVERED', '1': 'UNCOVERED' } },
  206: { tag: 206, name: 'OptAttribute', type: 'CHAR' },
  207: { tag: 207, name: 'SecurityExchange', type: 'EXCHANGE' },
  210: { tag: 210, name: 'MaxShow', type: 'QTY' },
  211: { tag: 211, name: 'PegOffsetValue', type: 'FLOAT' },
  212: { tag: 212, name: 'XmlDataLen', type: 'LENGTH' },
  213: { tag: 213, name: 'XmlData', type: 'DATA' },
  218: { tag: 218, name: 'Spread', type: 'PRICEOFFSET' },
  220: { tag: 220, name: 'BenchmarkCurveCurrency', type: 'CURRENCY' },
  221: {
    tag: 221,
    name: 'BenchmarkCurveName',
    type: 'STRING',
    values: {
      MuniAAA: 'MUNIAAA',
      FutureSWAP: 'FUTURESWAP',
      LIBID: 'LIBID',
      LIBOR: 'LIBOR',
      OTHER: 'OTHER',
      SWAP: 'SWAP',
      Treasury: 'TREASURY',
      Euribor: 'EURIBOR',
      Pfandbriefe: 'PFANDBRIEFE',
      EONIA: 'EONIA',
      SONIA: 'SONIA',
      EUREPO: 'EUREPO',
    },
  },
  222: { tag: 222, name: 'BenchmarkCurvePoint', type: 'STRING' },
  223: { tag: 223, name: 'CouponRate', type: 'PERCENTAGE' },
  224: { tag: 224, name: 'CouponPaymentDate', type: 'LOCALMKTDATE' },
  225: { tag: 225, name: 'IssueDate', type: 'LOCALMKTDATE' },
  226: { tag: 226, name: 'RepurchaseTerm', type: 'INT' },
  227: { tag: 227, name: 'RepurchaseRate', type: 'PERCENTAGE' },
  228: { tag: 228, name: 'Factor', type: 'FLOAT' },
  229: { tag: 229, name: 'TradeOriginationDate', type: 'LOCALMKTDATE' },
  230: { tag: 230, name: 'ExDate', type: 'LOCALMKTDATE' },
  231: { tag: 231, name: 'ContractMultiplier', type: 'FLOAT' },
  232: { tag: 232, name: 'NoStipulations', type: 'NUMINGROUP' },
  233: {
    tag: 233,
    name: 'StipulationType',
    type: 'STRING',
    values: {
      AMT: 'AMT',
      AUTOREINV: 'AUTO_REINVESTMENT_AT_OR_BETTER',
      BANKQUAL: 'BANK_QUALIFIED',
      BGNCON: 'BARGAIN_CONDITIONS',
      COUPON: 'COUPON_RANGE',
      CURRENCY: 'ISO_CURRENCY_CODE',
      CUSTOMDATE: 'CUSTOM_START_END_DATE',
      GEOG: 'GEOGRAPHICS_AND_PERCENT_RANGE',
      HAIRCUT: 'VALUATION_DISCOUNT',
      INSURED: 'INSURED',
      ISSUE: 'YEAR_OR_YEAR_MONTH_OF_ISSUE',
      ISSUER: 'ISSUERS_TICKER',
      ISSUESIZE: 'ISSUE_SIZE_RANGE',
      LOOKBACK: 'LOOKBACK_DAYS',
      LOT: 'EXPLICIT_LOT_IDENTIFIER',
      LOTVAR: 'LOT_VARIANCE',
      MAT: 'MATURITY_YEAR_AND_MONTH',
      MATURITY: 'MATURITY_RANGE',
      MAXSUBS: 'MAXIMUM_SUBSTITUTIONS',
      MINQTY: 'MINIMUM_QUANTITY',
      MININCR: 'MINIMUM_INCREMENT',
      MINDNOM: 'MINIMUM_DENOMINATION',
      PAYFREQ: 'PAYMENT_FREQUENCY_CALENDAR',
      PIECES: 'NUMBER_OF_PIECES',
      PMAX: 'POOLS_MAXIMUM',
      PPM: 'POOLS_PER_MILLION',
      PPL: 'POOLS_PER_LOT',
      PPT: 'POOLS_PER_TRADE',
      PRICE: 'PRICE_RANGE',
      PRICEFREQ: 'PRICING_FREQUENCY',
      PROD: 'PRODUCTION_YEAR',
      PROTECT: 'CALL_PROTECTION',
      PURPOSE: 'PURPOSE',
      PXSOURCE: 'BENCHMARK_PRICE_SOURCE',
      RATING: 'RATING_SOURCE_AND_RANGE',
      RESTRICTED: 'RESTRICTED',
      SECTOR: 'MARKET_SECTOR',
      SECTYPE: 'SECURITYTYPE_INCLUDED_OR_EXCLUDED',
      STRUCT: 'STRUCTURE',
      SUBSFREQ: 'SUBSTITUTIONS_FREQUENCY',
      SUBSLEFT: 'SUBSTITUTIONS_LEFT',
      TEXT: 'FREEFORM_TEXT',
      TRDVAR: 'TRADE_VARIANCE',
      WAC: 'WEIGHTED_AVERAGE_COUPON',
      WAL: 'WEIGHTED_AVERAGE_LIFE_COUPON',
      WALA: 'WEIGHTED_AVERAGE_LOAN_AGE',
      WAM: 'WEIGHTED_AVERAGE_MATURITY',
      WHOLE: 'WHOLE_POOL',
      YIELD: 'YIELD_RANGE',
      SMM: 'SINGLE_MONTHLY_MORTALITY',
      CPR: 'CONSTANT_PREPAYMENT_RATE',
      CPY: 'CONSTANT_PREPAYMENT_YIELD',
      CPP: 'CONSTANT_PREPAYMENT_PENALTY',
      ABS: 'ABSOLUTE_PREPAYMENT_SPEED',
      MPR: 'MONTHLY_PREPAYMENT_RATE',
      PSA: 'PERCENT_OF_BMA_PREPAYMENT_CURVE',
      PPC: 'PERCENT_OF_PROSPECTUS_PREPAYMENT_CURVE',
      MHP: 'PERCENT_OF_MANUFACTURED_HOUSING_PREPAYMENT_CURVE',
      HEP: 'FINAL_CPR_OF_HOME_EQUITY_PREPAYMENT_CURVE',
    },
  },
  234: {
    tag: 234,
    name: 'StipulationValue',
    type: 'STRING',
    values: {
      CD: 'SPECIAL_CUM_DIVIDEND',
      XD: 'SPECIAL_EX_DIVIDEND',
      CC: 'SPECIAL_CUM_COUPON',
      XC: 'SPECIAL_EX_COUPON',
      CB: 'SPECIAL_CUM_BONUS',
      XB: 'SPECIAL_EX_BONUS',
      CR: 'SPECIAL_CUM_RIGHTS',
      XR: 'SPECIAL_EX_RIGHTS',
      CP: 'SPECIAL_CUM_CAPITAL_REPAYMENTS',
      XP: 'SPECIAL_EX_CAPITAL_REPAYMENTS',
      CS: 'CASH_SETTLEMENT',
      SP: 'SPECIAL_PRICE',
      TR: 'REPORT_FOR_EUROPEAN_EQUITY_MARKET_SECURITIES',
      GD: 'GUARANTEED_DELIVERY',
    },
  },
  235: {
    tag: 235,
    name: 'YieldType',
    type: 'STRING',
    values: {
      AFTERTAX: 'AFTER_TAX_YIELD',
      ANNUAL: 'ANNUAL_YIELD',
      ATISSUE: 'YIELD_AT_ISSUE',
      AVGMATURITY: 'YIELD_TO_AVERAGE_MATURITY',
      BOOK: 'BOOK_YIELD',
      CALL: 'YIELD_TO_NEXT_CALL',
      CHANGE: 'YIELD_CHANGE_SINCE_CLOSE',
      CLOSE: 'CLOSING_YIELD',
      COMPOUND: 'COMPOUND_YIELD',
      CURRENT: 'CURRENT_YIELD',
      GROSS: 'TRUE_GROSS_YIELD',
      GOVTEQUIV: 'GOVERNMENT_EQUIVALENT_YIELD',
      INFLATION: 'YIELD_WITH_INFLATION_ASSUMPTION',
      INVERSEFLOATER: 'INVERSE_FLOATER_BOND_YIELD',
      LASTCLOSE: 'MOST_RECENT_CLOSING_YIELD',
      LASTMONTH: 'CLOSING_YIELD_MOST_RECENT_MONTH',
      LASTQUARTER: 'CLOSING_YIELD_MOST_RECENT_QUARTER',
      LASTYEAR: 'CLOSING_YIELD_MOST_RECENT_YEAR',
      LONGAVGLIFE: 'YIELD_TO_LONGEST_AVERAGE_LIFE',
      MARK: 'MARK_TO_MARKET_YIELD',
      MATURITY: 'YIELD_TO_MATURITY',
      NEXTREFUND: 'YIELD_TO_NEXT_REFUND',
      OPENAVG: 'OPEN_AVERAGE_YIELD',
      PUT: 'YIELD_TO_NEXT_PUT',
      PREVCLOSE: 'PREVIOUS_CLOSE_YIELD',
      PROCEEDS: 'PROCEEDS_YIELD',
      SEMIANNUAL: 'SEMI_ANNUAL_YIELD',
      SHORTAVGLIFE: 'YIELD_TO_SHORTEST_AVERAGE_LIFE',
      SIMPLE: 'SIMPLE_YIELD',
      TAXEQUIV: 'TAX_EQUIVALENT_YIELD',
      TENDER: 'YIELD_TO_TENDER_DATE',
      TRUE: 'TRUE_YIELD',
      VALUE1_32: 'YIELD_VALUE_OF_1_32',
      WORST: 'YIELD_TO_WORST',
    },
  },
  236: { tag: 236, name: 'Yield', type: 'PERCENTAGE' },
  237: { tag: 237, name: 'TotalTakedown', type: 'AMT' },
  238: { tag: 238, name: 'Concession', type: 'AMT' },
  239: { tag: 239, name: 'RepoCollateralSecurityType', type: 'STRING' },
  240: { tag: 240, name: 'RedemptionDate', type: 'LOCALMKTDATE' },
  241: { tag: 241, name: 'UnderlyingCouponPaymentDate', type: 'LOCALMKTDATE' },
  242: { tag: 242, name: 'UnderlyingIssueDate', type: 'LOCALMKTDATE' },
  243: { tag: 243, name: 'UnderlyingRepoCollateralSecurityType', type: 'STRING' },
  244: { tag: 244, name: 'UnderlyingRepurchaseTerm', type: 'INT' },
  245: { tag: 245, name: 'UnderlyingRepurchaseRate', type: 'PERCENTAGE' },
  246: { tag: 246, name: 'UnderlyingFactor', type: 'FLOAT' },
  247: { tag: 247, name: 'UnderlyingRedemptionDate', type: 'LOCALMKTDATE' },
  248: { tag: 248, name: 'LegCouponPaymentDate', type: 'LOCALMKTDATE' },
  249: { tag: 249, name: 'LegIssueDate', type: 'LOCALMKTDATE' },
  250: { tag: 250, name: 'LegRepoCollateralSecurityType', type: 'STRING' },
  251: { tag: 251, name: 'LegRepurchaseTerm', type: 'INT' },
  252: { tag: 252, name: 'LegRepurchaseRate', type: 'PERCENTAGE' },
  253: { tag: 253, name: 'LegFactor', type: 'FLOAT' },
  254: { tag: 254, name: 'LegRedemptionDate', type: 'LOCALMKTDATE' },
  255: { tag: 255, name: 'CreditRating', type: 'STRING' },
  256: { tag: 256, name: 'UnderlyingCreditRating', type: 'STRING' },
  257: { tag: 257, name: 'LegCreditRating', type: 'STRING' },
  258: { tag: 258, name: 'TradedFlatSwitch', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  259: { tag: 259, name: 'BasisFeatureDate', type: 'LOCALMKTDATE' },
  260: { tag: 260, name: 'BasisFeaturePrice', type: 'PRICE' },
  305: { tag: 305, name: 'UnderlyingSecurityIDSource', type: 'STRING' },
  306: { tag: 306, name: 'UnderlyingIssuer', type: 'STRING' },
  307: { tag: 307, name: 'UnderlyingSecurityDesc', type: 'STRING' },
  308: { tag: 308, name: 'UnderlyingSecurityExchange', type: 'EXCHANGE' },
  309: { tag: 309, name: 'UnderlyingSecurityID', type: 'STRING' },
  310: { tag: 310, name: 'UnderlyingSecurityType', type: 'STRING' },
  311: { tag: 311, name: 'UnderlyingSymbol', type: 'STRING' },
  312: { tag: 312, name: 'UnderlyingSymbolSfx', type: 'STRING' },
  313: { tag: 313, name: 'UnderlyingMaturityMonthYear', type: 'MONTHYEAR' },
  315: { tag: 315, name: 'UnderlyingPutOrCall', type: 'INT', values: { '0': 'PUT', '1': 'CALL' } },
  316: { tag: 316, name: 'UnderlyingStrikePrice', type: 'PRICE' },
  317: { tag: 317, name: 'UnderlyingOptAttribute', type: 'CHAR' },
  318: { tag: 318, name: 'UnderlyingCurrency', type: 'CURRENCY' },
  336: { tag: 336, name: 'TradingSessionID', type: 'STRING' },
  337: { tag: 337, name: 'ContraTrader', type: 'STRING' },
  347: {
    tag: 347,
    name: 'MessageEncoding',
    type: 'STRING',
    values: { 'ISO-2022-JP': 'ISO_2022_JP', 'EUC-JP': 'EUC_JP', SHIFT_JIS: 'SHIFT_JIS', 'UTF-8': 'UTF_8' },
  },
  348: { tag: 348, name: 'EncodedIssuerLen', type: 'LENGTH' },
  349: { tag: 349, name: 'EncodedIssuer', type: 'DATA' },
  350: { tag: 350, name: 'EncodedSecurityDescLen', type: 'LENGTH' },
  351: { tag: 351, name: 'EncodedSecurityDesc', type: 'DATA' },
  354: { tag: 354, name: 'EncodedTextLen', type: 'LENGTH' },
  355: { tag: 355, name: 'EncodedText', type: 'DATA' },
  362: { tag: 362, name: 'EncodedUnderlyingIssuerLen', type: 'LENGTH' },
  363: { tag: 363, name: 'EncodedUnderlyingIssuer', type: 'DATA' },
  364: { tag: 364, name: 'EncodedUnderlyingSecurityDescLen', type: 'LENGTH' },
  365: { tag: 365, name: 'EncodedUnderlyingSecurityDesc', type: 'DATA' },
  369: { tag: 369, name: 'LastMsgSeqNumProcessed', type: 'SEQNUM' },
  371: { tag: 371, name: 'RefTagID', type: 'INT' },
  372: { tag: 372, name: 'RefMsgType', type: 'STRING' },
  373: {
    tag: 373,
    name: 'SessionRejectReason',
    type: 'INT',
    values: {
      '0': 'INVALID_TAG_NUMBER',
      '1': 'REQUIRED_TAG_MISSING',
      '2': 'TAG_NOT_DEFINED_FOR_THIS_MESSAGE_TYPE',
      '3': 'UNDEFINED_TAG',
      '4': 'TAG_SPECIFIED_WITHOUT_A_VALUE',
      '5': 'VALUE_IS_INCORRECT',
      '6': 'INCORRECT_DATA_FORMAT_FOR_VALUE',
      '7': 'DECRYPTION_PROBLEM',
      '8': 'SIGNATURE_PROBLEM',
      '9': 'COMPID_PROBLEM',
      '10': 'SENDINGTIME_ACCURACY_PROBLEM',
      '11': 'INVALID_MSGTYPE',
      '12': 'XML_VALIDATION_ERROR',
      '13': 'TAG_APPEARS_MORE_THAN_ONCE',
      '14': 'TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER',
      '15': 'REPEATING_GROUP_FIELDS_OUT_OF_ORDER',
      '16': 'INCORRECT_NUMINGROUP_COUNT_FOR_REPEATING_GROUP',
      '17': 'NON_DATA_VALUE_INCLUDES_FIELD_DELIMITER',
      '99': 'OTHER',
    },
  },
  375: { tag: 375, name: 'ContraBroker', type: 'STRING' },
  376: { tag: 376, name: 'ComplianceID', type: 'STRING' },
  377: { tag: 377, name: 'SolicitedFlag', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  378: {
    tag: 378,
    name: 'ExecRestatementReason',
    type: 'INT',
    values: {
      '0': 'GT_CORPORATE_ACTION',
      '1': 'GT_RENEWAL_RESTATEMENT',
      '2': 'VERBAL_CHANGE',
      '3': 'REPRICING_OF_ORDER',
      '4': 'BROKER_OPTION',
      '5': 'PARTIAL_DECLINE_OF_ORDERQTY',
      '6': 'CANCEL_ON_TRADING_HALT',
      '7': 'CANCEL_ON_SYSTEM_FAILURE',
      '8': 'MARKET_OPTION',
      '9': 'CANCELED_NOT_BEST',
      '10': 'WAREHOUSE_RECAP',
      '99': 'OTHER',
    },
  },
  379: { tag: 379, name: 'BusinessRejectRefID', type: 'STRING' },
  380: {
    tag: 380,
    name: 'BusinessRejectReason',
    type: 'INT',
    values: {
      '0': 'OTHER',
      '1': 'UNKOWN_ID',
      '2': 'UNKNOWN_SECURITY',
      '3': 'UNSUPPORTED_MESSAGE_TYPE',
      '4': 'APPLICATION_NOT_AVAILABLE',
      '5': 'CONDITIONALLY_REQUIRED_FIELD_MISSING',
      '6': 'NOT_AUTHORIZED',
      '7': 'DELIVERTO_FIRM_NOT_AVAILABLE_AT_THIS_TIME',
    },
  },
  381: { tag: 381, name: 'GrossTradeAmt', type: 'AMT' },
  382: { tag: 382, name: 'NoContraBrokers', type: 'NUMINGROUP' },
  383: { tag: 383, name: 'MaxMessageSize', type: 'LENGTH' },
  384: { tag: 384, name: 'NoMsgTypes', type: 'NUMINGROUP' },
  385: { tag: 385, name: 'MsgDirection', type: 'CHAR', values: { S: 'SEND', R: 'RECEIVE' } },
  386: { tag: 386, name: 'NoTradingSessions', type: 'NUMINGROUP' },
  388: {
    tag: 388,
    name: 'DiscretionInst',
    type: 'CHAR',
    values: {
      '0': 'RELATED_TO_DISPLAYED_PRICE',
      '1': 'RELATED_TO_MARKET_PRICE',
      '2': 'RELATED_TO_PRIMARY_PRICE',
      '3': 'RELATED_TO_LOCAL_PRIMARY_PRICE',
      '4': 'RELATED_TO_MIDPOINT_PRICE',
      '5': 'RELATED_TO_LAST_TRADE_PRICE',
      '6': 'RELATED_TO_VWAP',
    },
  },
  389: { tag: 389, name: 'DiscretionOffsetValue', type: 'FLOAT' },
  423: {
    tag: 423,
    name: 'PriceType',
    type: 'INT',
    values: {
      '1': 'PERCENTAGE',
      '2': 'PER_UNIT',
      '3': 'FIXED_AMOUNT',
      '4': 'DISCOUNT',
      '5': 'PREMIUM',
      '6': 'SPREAD',
      '7': 'TED_PRICE',
      '8': 'TED_YIELD',
      '9': 'YIELD',
      '10': 'FIXED_CABINET_TRADE_PRICE',
      '11': 'VARIABLE_CABINET_TRADE_PRICE',
    },
  },
  424: { tag: 424, name: 'DayOrderQty', type: 'QTY' },
  425: { tag: 425, name: 'DayCumQty', type: 'QTY' },
  426: { tag: 426, name: 'DayAvgPx', type: 'PRICE' },
  427: {
    tag: 427,
    name: 'GTBookingInst',
    type: 'INT',
    values: {
      '0': 'BOOK_OUT_ALL_TRADES_ON_DAY_OF_EXECUTION',
      '1': 'ACCUMULATE_EXECUTIONS_UNTIL_ORDER_IS_FILLED_OR_EXPIRES',
      '2': 'ACCUMULATE_UNTIL_VERBALLY_NOTIFIED_OTHERWISE',
    },
  },
  432: { tag: 432, name: 'ExpireDate', type: 'LOCALMKTDATE' },
  434: {
    tag: 434,
    name: 'CxlRejResponseTo',
    type: 'CHAR',
    values: { '1': 'ORDER_CANCEL_REQUEST', '2': 'ORDER_CANCEL_REPLACE_REQUEST' },
  },
  435: { tag: 435, name: 'UnderlyingCouponRate', type: 'PERCENTAGE' },
  436: { tag: 436, name: 'UnderlyingContractMultiplier', type: 'FLOAT' },
  437: { tag: 437, name: 'ContraTradeQty', type: 'QTY' },
  438: { tag: 438, name: 'ContraTradeTime', type: 'UTCTIMESTAMP' },
  442: {
    tag: 442,
    name: 'MultiLegReportingType',
    type: 'CHAR',
    values: { '1': 'SINGLE_SECURITY', '2': 'INDIVIDUAL_LEG_OF_A_MULTI_LEG_SECURITY', '3': 'MULTI_LEG_SECURITY' },
  },
  447: {
    tag: 447,
    name: 'PartyIDSource',
    type: 'CHAR',
    values: {
      B: 'BIC',
      C: 'GENERALLY_ACCEPTED_MARKET_PARTICIPANT_IDENTIFIER',
      D: 'PROPRIETARY_CUSTOM_CODE',
      E: 'ISO_COUNTRY_CODE',
      F: 'SETTLEMENT_ENTITY_LOCATION',
      G: 'MIC',
      H: 'CSD_PARTICIPANT_MEMBER_CODE',
      '1': 'KOREAN_INVESTOR_ID',
      '2': 'TAIWANESE_QUALIFIED_FOREIGN_INVESTOR_ID_QFII_FID',
      '3': 'TAIWANESE_TRADING_ACCOUNT',
      '4': 'MALAYSIAN_CENTRAL_DEPOSITORY_NUMBER',
      '5': 'CHINESE_B_SHARE',
      '6': 'UK_NATIONAL_INSURANCE_OR_PENSION_NUMBER',
      '7': 'US_SOCIAL_SECURITY_NUMBER',
      '8': 'US_EMPLOYER_IDENTIFICATION_NUMBER',
      '9': 'AUSTRALIAN_BUSINESS_NUMBER',
      A: 'AUSTRALIAN_TAX_FILE_NUMBER',
      I: 'DIRECTED_BROKER',
    },
  },
  448: { tag: 448, name: 'PartyID', type: 'STRING' },
  452: {
    tag: 452,
    name: 'PartyRole',
    type: 'INT',
    values: {
      '1': 'EXECUTING_FIRM',
      '2': 'BROKER_OF_CREDIT',
      '3': 'CLIENT_ID',
      '4': 'CLEARING_FIRM',
      '5': 'INVESTOR_ID',
      '6': 'INTRODUCING_FIRM',
      '7': 'ENTERING_FIRM',
      '8': 'LOCATE_LENDING_FIRM',
      '9': 'FUND_MANAGER_CLIENT_ID',
      '10': 'SETTLEMENT_LOCATION',
      '11': 'ORDER_ORIGINATION_TRADER',
      '12': 'EXECUTING_TRADER',
      '13': 'ORDER_ORIGINATION_FIRM',
      '14': 'GIVEUP_CLEARING_FIRM',
      '15': 'CORRESPONDANT_CLEARING_FIRM',
      '16': 'EXECUTING_SYSTEM',
      '17': 'CONTRA_FIRM',
      '18': 'CONTRA_CLEARING_FIRM',
      '19': 'SPONSORING_FIRM',
      '20': 'UNDERLYING_CONTRA_FIRM',
      '21': 'CLEARING_ORGANIZATION',
      '22': 'EXCHANGE',
      '24': 'CUSTOMER_ACCOUNT',
      '25': 'CORRESPONDENT_CLEARING_ORGANIZATION',
      '26': 'CORRESPONDENT_BROKER',
      '27': 'BUYER_SELLER',
      '28': 'CUSTODIAN',
      '29': 'INTERMEDIARY',
      '30': 'AGENT',
      '31': 'SUB_CUSTODIAN',
      '32': 'BENEFICIARY',
      '33': 'INTERESTED_PARTY',
      '34': 'REGULATORY_BODY',
      '35': 'LIQUIDITY_PROVIDER',
      '36': 'ENTERING_TRADER',
      '37': 'CONTRA_TRADER',
      '38': 'POSITION_ACCOUNT',
    },
  },
  453: { tag: 453, name: 'NoPartyIDs', type: 'NUMINGROUP' },
  454: { tag: 454, name: 'NoSecurityAltID', type: 'NUMINGROUP' },
  455: { tag: 455, name: 'SecurityAltID', type: 'STRING' },
  456: { tag: 456, name: 'SecurityAltIDSource', type: 'STRING' },
  457: { tag: 457, name: 'NoUnderlyingSecurityAltID', type: 'NUMINGROUP' },
  458: { tag: 458, name: 'UnderlyingSecurityAltID', type: 'STRING' },
  459: { tag: 459, name: 'UnderlyingSecurityAltIDSource', type: 'STRING' },
  460: {
    tag: 460,
    name: 'Product',
    type: 'INT',
    values: {
      '1': 'AGENCY',
      '2': 'COMMODITY',
      '3': 'CORPORATE',
      '4': 'CURRENCY',
      '5': 'EQUITY',
      '6': 'GOVERNMENT',
      '7': 'INDEX',
      '8': 'LOAN',
      '9': 'MONEYMARKET',
      '10': 'MORTGAGE',
      '11': 'MUNICIPAL',
      '12': 'OTHER',
      '13': 'FINANCING',
    },
  },
  461: { tag: 461, name: 'CFICode', type: 'STRING' },
  462: { tag: 462, name: 'UnderlyingProduct', type: 'INT' },
  463: { tag: 463, name: 'UnderlyingCFICode', type: 'STRING' },
  464: { tag: 464, name: 'TestMessageIndicator', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  467: { tag: 467, name: 'IndividualAllocID', type: 'STRING' },
  468: {
    tag: 468,
    name: 'RoundingDirection',
    type: 'CHAR',
    values: { '0': 'ROUND_TO_NEAREST', '1': 'ROUND_DOWN', '2': 'ROUND_UP' },
  },
  469: { tag: 469, name: 'RoundingModulus', type: 'FLOAT' },
  470: { tag: 470, name: 'CountryOfIssue', type: 'COUNTRY' },
  471: { tag: 471, name: 'StateOrProvinceOfIssue', type: 'STRING' },
  472: { tag: 472, name: 'LocaleOfIssue', type: 'STRING' },
  479: { tag: 479, name: 'CommCurrency', type: 'CURRENCY' },
  480: {
    tag: 480,
    name: 'CancellationRights',
    type: 'CHAR',
    values: { Y: 'YES', N: 'NO_EXECUTION_ONLY', M: 'NO_WAIVER_AGREEMENT', O: 'NO_INSTITUTIONAL' },
  },
  481: {
    tag: 481,
    name: 'MoneyLaunderingStatus',
    type: 'CHAR',
    values: {
      Y: 'PASSED',
      N: 'NOT_CHECKED',
      '1': 'EXEMPT_BELOW_THE_LIMIT',
      '2': 'EXEMPT_CLIENT_MONEY_TYPE_EXEMPTION',
      '3': 'EXEMPT_AUTHORISED_CREDIT_OR_FINANCIAL_INSTITUTION',
    },
  },
  483: { tag: 483, name: 'TransBkdTime', type: 'UTCTIMESTAMP' },
  484: {
    tag: 484,
    name: 'ExecPriceType',
    type: 'CHAR',
    values: {
      B: 'BID_PRICE',
      C: 'CREATION_PRICE',
      D: 'CREATION_PRICE_PLUS_ADJUSTMENT_PERCENT',
      E: 'CREATION_PRICE_PLUS_ADJUSTMENT_AMOUNT',
      O: 'OFFER_PRICE',
      P: 'OFFER_PRICE_MINUS_ADJUSTMENT_PERCENT',
      Q: 'OFFER_PRICE_MINUS_ADJUSTMENT_AMOUNT',
      S: 'SINGLE_PRICE',
    },
  },
  485: { tag: 485, name: 'ExecPriceAdjustment', type: 'FLOAT' },
  494: { tag: 494, name: 'Designation', type: 'STRING' },
  497: { tag: 497, name: 'FundRenewWaiv', type: 'CHAR', values: { Y: 'YES', N: 'NO' } },
  513: { tag: 513, name: 'RegistID', type: 'STRING' },
  515: { tag: 515, name: 'ExecValuationPoint', type: 'UTCTIMESTAMP' },
  516: { tag: 516, name: 'OrderPercent', type: 'PERCENTAGE' },
  518: { tag: 518, name: 'NoContAmts', type: 'NUMINGROUP' },
  519: {
    tag: 519,
    name: 'ContAmtType',
    type: 'INT',
    values: {
      '1': 'COMMISSION_AMOUNT',
      '2': 'COMMISSION_PERCENT',
      '3': 'INITIAL_CHARGE_AMOUNT',
      '4': 'INITIAL_CHARGE_PERCENT',
      '5': 'DISCOUNT_AMOUNT',
      '6': 'DISCOUNT_PERCENT',
      '7': 'DILUTION_LEVY_AMOUNT',
      '8': 'DILUTION_LEVY_PERCENT',
      '9': 'EXIT_CHARGE_AMOUNT',
    },
  },
  520: { tag: 520, name: 'ContAmtValue', type: 'FLOAT' },
  521: { tag: 521, name: 'ContAmtCurr', type: 'CURRENCY' },
  523: { tag: 523, name: 'PartySubID', type: 'STRING' },
  524: { tag: 524, name: 'NestedPartyID', type: 'STRING' },
  525: { tag: 525, name: 'NestedPartyIDSource', type: 'CHAR' },
  526: { tag: 526, name: 'SecondaryClOrdID', type: 'STRING' },
  527: { tag: 527, name: 'SecondaryExecID', type: 'STRING' },
  528: {
    tag: 528,
    name: 'OrderCapacity',
    type: 'CHAR',
    values: {
      A: 'AGENCY',
      G: 'PROPRIETARY',
      I: 'INDIVIDUAL',
      P: 'PRINCIPAL',
      R: 'RISKLESS_PRINCIPAL',
      W: 'AGENT_FOR_OTHER_MEMBER',
    },
  },
  529: {
    tag: 529,
    name: 'OrderRestrictions',
    type: 'MULTIPLEVALUESTRING',
    values: {
      '1': 'PROGRAM_TRADE',
      '2': 'INDEX_ARBITRAGE',
      '3': 'NON_INDEX_ARBITRAGE',
      '4': 'COMPETING_MARKET_MAKER',
      '5': 'ACTING_AS_MARKET_MAKER_OR_SPECIALIST_IN_THE_SECURITY',
      '6': 'ACTING_AS_MARKET_MAKER_OR_SPECIALIST_IN_THE_UNDERLYING_SECURITY_OF_A_DERIVATIVE_SECURITY',
      '7': 'FOREIGN_ENTITY',
      '8': 'EXTERNAL_MARKET_PARTICIPANT',
      '9': 'EXTERNAL_INTER_CONNECTED_MARKET_LINKAGE',
      A: 'RISKLESS_ARBITRAGE',
    },
  },
  538: { tag: 538, name: 'NestedPartyRole', type: 'INT' },
  539: { tag: 539, name: 'NoNestedPartyIDs', type: 'NUMINGROUP' },
  541: { tag: 541, name: 'MaturityDate', type: 'LOCALMKTDATE' },
  542: { tag: 542, name: 'UnderlyingMaturityDate', type: 'LOCALMKTDATE' },
  543: { tag: 543, name: 'InstrRegistry', type: 'STRING' },
  544: { tag: 544, name: 'CashMargin', type: 'CHAR', values: { '1': 'CASH', '2': 'MARGIN_OPEN', '3': 'MARGIN_CLOSE' } },
  545: { tag: 545, name: 'NestedPartySubID', type: 'STRING' },
  548: { tag: 548, name: 'CrossID', type: 'STRING' },
  549: {
    tag: 549,
    name: 'CrossType',
    type: 'INT',
    values: {
      '1': 'CROSS_TRADE_WHICH_IS_EXECUTED_COMPLETELY_OR_NOT',
      '2': 'CROSS_TRADE_WHICH_IS_EXECUTED_PARTIALLY_AND_THE_REST_IS_CANCELLED',
      '3': 'CROSS_TRADE_WHICH_IS_PARTIALLY_EXECUTED_WITH_THE_UNFILLED_PORTIONS_REMAINING_ACTIVE',
      '4': 'CROSS_TRADE_IS_EXECUTED_WITH_EXISTING_ORDERS_WITH_THE_SAME_PRICE',
    },
  },
  551: { tag: 551, name: 'OrigCrossID', type: 'STRING' },
  553: { tag: 553, name: 'Username', type: 'STRING' },
  554: { tag: 554, name: 'Password', type: 'STRING' },
  555: { tag: 555, name: 'NoLegs', type: 'NUMINGROUP' },
  556: { tag: 556, name: 'LegCurrency', type: 'CURRENCY' },
  564: { tag: 564, name: 'LegPositionEffect', type: 'CHAR' },
  565: { tag: 565, name: 'LegCoveredOrUncovered', type: 'INT' },
  566: { tag: 566, name: 'LegPrice', type: 'PRICE' },
  581: {
    tag: 581,
    name: 'AccountType',
    type: 'INT',
    values: {
      '1': 'ACCOUNT_IS_CARRIED_ON_CUSTOMER_SIDE_OF_BOOKS',
      '2': 'ACCOUNT_IS_CARRIED_ON_NON_CUSTOMER_SIDE_OF_BOOKS',
      '3': 'HOUSE_TRADER',
      '4': 'FLOOR_TRADER',
      '6': 'ACCOUNT_IS_CARRIED_ON_NON_CUSTOMER_SIDE_OF_BOOKS_AND_IS_CROSS_MARGINED',
      '7': 'ACCOUNT_IS_HOUSE_TRADER_AND_IS_CROSS_MARGINED',
      '8': 'JOINT_BACKOFFICE_ACCOUNT',
    },
  },
  582: {
    tag: 582,
    name: 'CustOrderCapacity',
    type: 'INT',
    values: {
      '1': 'MEMBER_TRADING_FOR_THEIR_OWN_ACCOUNT',
      '2': 'CLEARING_FIRM_TRADING_FOR_ITS_PROPRIETARY_ACCOUNT',
      '3': 'MEMBER_TRADING_FOR_ANOTHER_MEMBER',
      '4': 'ALL_OTHER',
    },
  },
  583: { tag: 583, name: 'ClOrdLinkID', type: 'STRING' },
  584: { tag: 584, name: 'MassStatusReqID', type: 'STRING' },
  586: { tag: 586, name: 'OrigOrdModTime', type: 'UTCTIMESTAMP' },
  587: { tag: 587, name: 'LegSettlType', type: 'CHAR' },
  588: { tag: 588, name: 'LegSettlDate', type: 'LOCALMKTDATE' },
  589: {
    tag: 589,
    name: 'DayBookingInst',
    type: 'CHAR',
    values: {
      '0': 'CAN_TRIGGER_BOOKING_WITHOUT_REFERENCE_TO_THE_ORDER_INITIATOR',
      '1': 'SPEAK_WITH_ORDER_INITIATOR_BEFORE_BOOKING',
      '2': 'ACCUMULATE',
    },
  },
  590: {
    tag: 590,
    name: 'BookingUnit',
    type: 'CHAR',
    values: {
      '0': 'EACH_PARTIAL_EXECUTION_IS_A_BOOKABLE_UNIT',
      '1': 'AGGREGATE_PARTIAL_EXECUTIONS_ON_THIS_ORDER_AND_BOOK_ONE_TRADE_PER_ORDER',
      '2': 'AGGREGATE_EXECUTIONS_FOR_THIS_SYMBOL_SIDE_AND_SETTLEMENT_DATE',
    },
  },
  591: { tag: 591, name: 'PreallocMethod', type: 'CHAR', values: { '0': 'PRO_RATA', '1': 'DO_NOT_PRO_RATA' } },
  592: { tag: 592, name: 'UnderlyingCountryOfIssue', type: 'COUNTRY' },
  593: { tag: 593, name: 'UnderlyingStateOrProvinceOfIssue', type: 'STRING' },
  594: { tag: 594, name: 'UnderlyingLocaleOfIssue', type: 'STRING' },
  595: { tag: 595, name: 'UnderlyingInstrRegistry', type: 'STRING' },
  596: { tag: 596, name: 'LegCountryOfIssue', type: 'COUNTRY' },
  597: { tag: 597, name: 'LegStateOrProvinceOfIssue', type: 'STRING' },
  598: { tag: 598, name: 'LegLocaleOfIssue', type: 'STRING' },
  599: { tag: 599, name: 'LegInstrRegistry', type: 'STRING' },
  600: { tag: 600, name: 'LegSymbol', type: 'STRING' },
  601: { tag: 601, name: 'LegSymbolSfx', type: 'STRING' },
  602: { tag: 602, name: 'LegSecurityID', type: 'STRING' },
  603: { tag: 603, name: 'LegSecurityIDSource', type: 'STRING' },
  604: { tag: 604, name: 'NoLegSecurityAltID', type: 'NUMINGROUP' },
  605: { tag: 605, name: 'LegSecurityAltID', type: 'STRING' },
  606: { tag: 606, name: 'LegSecurityAltIDSource', type: 'STRING' },
  607: { tag: 607, name: 'LegProduct', type: 'INT' },
  608: { tag: 608, name: 'LegCFICode', type: 'STRING' },
  609: { tag: 609, name: 'LegSecurityType', type: 'STRING' },
  610: { tag: 610, name: 'LegMaturityMonthYear', type: 'MONTHYEAR' },
  611: { tag: 611, name: 'LegMaturityDate', type: 'LOCALMKTDATE' },
  612: { tag: 612, name: 'LegStrikePrice', type: 'PRICE' },
  613: { tag: 613, name: 'LegOptAttribute', type: 'CHAR' },
  614: { tag: 614, name: 'LegContractMultiplier', type: 'FLOAT' },
  615: { tag: 615, name: 'LegCouponRate', type: 'PERCENTAGE' },
  616: { tag: 616, name: 'LegSecurityExchange', type: 'EXCHANGE' },
  617: { tag: 617, name: 'LegIssuer', type: 'STRING' },
  618: { tag: 618, name: 'EncodedLegIssuerLen', type: 'LENGTH' },
  619: { tag: 619, name: 'EncodedLegIssuer', type: 'DATA' },
  620: { tag: 620, name: 'LegSecurityDesc', type: 'STRING' },
  621: { tag: 621, name: 'EncodedLegSecurityDescLen', type: 'LENGTH' },
  622: { tag: 622, name: 'EncodedLegSecurityDesc', type: 'DATA' },
  623: { tag: 623, name: 'LegRatioQty', type: 'FLOAT' },
  624: { tag: 624, name: 'LegSide', type: 'CHAR' },
  625: { tag: 625, name: 'TradingSessionSubID', type: 'STRING' },
  627: { tag: 627, name: 'NoHops', type: 'NUMINGROUP' },
  628: { tag: 628, name: 'HopCompID', type: 'STRING' },
  629: { tag: 629, name: 'HopSendingTime', type: 'UTCTIMESTAMP' },
  630: { tag: 630, name: 'HopRefID', type: 'SEQNUM' },
  635: {
    tag: 635,
    name: 'ClearingFeeIndicator',
    type: 'STRING',
    values: {
      B: 'CBOE_MEMBER',
      C: 'NON_MEMBER_AND_CUSTOMER',
      E: 'EQUITY_MEMBER_AND_CLEARING_MEMBER',
      F: 'FULL_AND_ASSOCIATE_MEMBER_TRADING_FOR_OWN_ACCOUNT_AND_AS_FLOOR_BROKERS',
      H: 'FIRMS_106H_AND_106J',
      I: 'GIM_IDEM_AND_COM_MEMBERSHIP_INTEREST_HOLDERS',
      L: 'LESSEE_AND_106F_EMPLOYEES',
      M: 'ALL_OTHER_OWNERSHIP_TYPES',
    },
  },
  636: { tag: 636, name: 'WorkingIndicator', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  637: { tag: 637, name: 'LegLastPx', type: 'PRICE' },
  638: {
    tag: 638,
    name: 'PriorityIndicator',
    type: 'INT',
    values: { '0': 'PRIORITY_UNCHANGED', '1': 'LOST_PRIORITY_AS_RESULT_OF_ORDER_CHANGE' },
  },
  639: { tag: 639, name: 'PriceImprovement', type: 'PRICEOFFSET' },
  640: { tag: 640, name: 'Price2', type: 'PRICE' },
  641: { tag: 641, name: 'LastForwardPoints2', type: 'PRICEOFFSET' },
  651: { tag: 651, name: 'UnderlyingLastPx', type: 'PRICE' },
  652: { tag: 652, name: 'UnderlyingLastQty', type: 'QTY' },
  654: { tag: 654, name: 'LegRefID', type: 'STRING' },
  655: { tag: 655, name: 'ContraLegRefID', type: 'STRING' },
  660: {
    tag: 660,
    name: 'AcctIDSource',
    type: 'INT',
    values: { '1': 'BIC', '2': 'SID_CODE', '3': 'TFM', '4': 'OMGEO', '5': 'DTCC_CODE', '99': 'OTHER' },
  },
  661: { tag: 661, name: 'AllocAcctIDSource', type: 'INT' },
  662: { tag: 662, name: 'BenchmarkPrice', type: 'PRICE' },
  663: { tag: 663, name: 'BenchmarkPriceType', type: 'INT' },
  667: { tag: 667, name: 'ContractSettlMonth', type: 'MONTHYEAR' },
  669: { tag: 669, name: 'LastParPx', type: 'PRICE' },
  683: { tag: 683, name: 'NoLegStipulations', type: 'NUMINGROUP' },
  687: { tag: 687, name: 'LegQty', type: 'QTY' },
  688: { tag: 688, name: 'LegStipulationType', type: 'STRING' },
  689: { tag: 689, name: 'LegStipulationValue', type: 'STRING' },
  690: {
    tag: 690,
    name: 'LegSwapType',
    type: 'INT',
    values: { '1': 'PAR_FOR_PAR', '2': 'MODIFIED_DURATION', '4': 'RISK', '5': 'PROCEEDS' },
  },
  691: { tag: 691, name: 'Pool', type: 'STRING' },
  693: { tag: 693, name: 'QuoteRespID', type: 'STRING' },
  696: { tag: 696, name: 'YieldRedemptionDate', type: 'LOCALMKTDATE' },
  697: { tag: 697, name: 'YieldRedemptionPrice', type: 'PRICE' },
  698: { tag: 698, name: 'YieldRedemptionPriceType', type: 'INT' },
  699: { tag: 699, name: 'BenchmarkSecurityID', type: 'STRING' },
  701: { tag: 701, name: 'YieldCalcDate', type: 'LOCALMKTDATE' },
  711: { tag: 711, name: 'NoUnderlyings', type: 'NUMINGROUP' },
  736: { tag: 736, name: 'AllocSettlCurrency', type: 'CURRENCY' },
  738: { tag: 738, name: 'InterestAtMaturity', type: 'AMT' },
  739: { tag: 739, name: 'LegDatedDate', type: 'LOCALMKTDATE' },
  740: { tag: 740, name: 'LegPool', type: 'STRING' },
  761: {
    tag: 761,
    name: 'BenchmarkSecurityIDSource',
    type: 'STRING',
    values: {
      '1': 'CUSIP',
      '2': 'SEDOL',
      '3': 'QUIK',
      '4': 'ISIN_NUMBER',
      '5': 'RIC_CODE',
      '6': 'ISO_CURRENCY_CODE',
      '7': 'ISO_COUNTRY_CODE',
      '8': 'EXCHANGE_SYMBOL',
      '9': 'CONSOLIDATED_TAPE_ASSOCIATION',
      A: 'BLOOMBERG_SYMBOL',
      B: 'WERTPAPIER',
      C: 'DUTCH',
      D: 'VALOREN',
      E: 'SICOVAM',
      F: 'BELGIAN',
      G: 'COMMON',
      H: 'CLEARING_HOUSE_CLEARING_ORGANIZATION',
      I: 'ISDA_FPML_PRODUCT_SPECIFICATION',
      J: 'OPTIONS_PRICE_REPORTING_AUTHORITY',
    },
  },
  762: { tag: 762, name: 'SecuritySubType', type: 'STRING' },
  763: { tag: 763, name: 'UnderlyingSecuritySubType', type: 'STRING' },
  764: { tag: 764, name: 'LegSecuritySubType', type: 'STRING' },
  775: {
    tag: 775,
    name: 'BookingType',
    type: 'INT',
    values: { '0': 'REGULAR_BOOKING', '1': 'CFD', '2': 'TOTAL_RETURN_SWAP' },
  },
  788: {
    tag: 788,
    name: 'TerminationType',
    type: 'INT',
    values: { '1': 'OVERNIGHT', '2': 'TERM', '3': 'FLEXIBLE', '4': 'OPEN' },
  },
  789: { tag: 789, name: 'NextExpectedMsgSeqNum', type: 'SEQNUM' },
  790: { tag: 790, name: 'OrdStatusReqID', type: 'STRING' },
  797: { tag: 797, name: 'CopyMsgIndicator', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  802: { tag: 802, name: 'NoPartySubIDs', type: 'NUMINGROUP' },
  803: { tag: 803, name: 'PartySubIDType', type: 'INT' },
  804: { tag: 804, name: 'NoNestedPartySubIDs', type: 'NUMINGROUP' },
  805: { tag: 805, name: 'NestedPartySubIDType', type: 'INT' },
  810: { tag: 810, name: 'UnderlyingPx', type: 'PRICE' },
  835: { tag: 835, name: 'PegMoveType', type: 'INT', values: { '0': 'FLOATING', '1': 'FIXED' } },
  836: {
    tag: 836,
    name: 'PegOffsetType',
    type: 'INT',
    values: { '0': 'PRICE', '1': 'BASIS_POINTS', '2': 'TICKS', '3': 'PRICE_TIER_LEVEL' },
  },
  837: { tag: 837, name: 'PegLimitType', type: 'INT', values: { '0': 'OR_BETTER', '1': 'STRICT', '2': 'OR_WORSE' } },
  838: { tag: 838, name: 'PegRoundDirection', type: 'INT', values: { '1': 'MORE_AGGRESSIVE', '2': 'MORE_PASSIVE' } },
  839: { tag: 839, name: 'PeggedPrice', type: 'PRICE' },
  840: {
    tag: 840,
    name: 'PegScope',
    type: 'INT',
    values: { '1': 'LOCAL', '2': 'NATIONAL', '3': 'GLOBAL', '4': 'NATIONAL_EXCLUDING_LOCAL' },
  },
  841: { tag: 841, name: 'DiscretionMoveType', type: 'INT', values: { '0': 'FLOATING', '1': 'FIXED' } },
  842: {
    tag: 842,
    name: 'DiscretionOffsetType',
    type: 'INT',
    values: { '0': 'PRICE', '1': 'BASIS_POINTS', '2': 'TICKS', '3': 'PRICE_TIER_LEVEL' },
  },
  843: {
    tag: 843,
    name: 'DiscretionLimitType',
    type: 'INT',
    values: { '0': 'OR_BETTER', '1': 'STRICT', '2': 'OR_WORSE' },
  },
  844: {
    tag: 844,
    name: 'DiscretionRoundDirection',
    type: 'INT',
    values: { '1': 'MORE_AGGRESSIVE', '2': 'MORE_PASSIVE' },
  },
  845: { tag: 845, name: 'DiscretionPrice', type: 'PRICE' },
  846: {
    tag: 846,
    name: 'DiscretionScope',
    type: 'INT',
    values: { '1': 'LOCAL', '2': 'NATIONAL', '3': 'GLOBAL', '4': 'NATIONAL_EXCLUDING_LOCAL' },
  },
  847: { tag: 847, name: 'TargetStrategy', type: 'INT' },
  848: { tag: 848, name: 'TargetStrategyParameters', type: 'STRING' },
  849: { tag: 849, name: 'ParticipationRate', type: 'PERCENTAGE' },
  850: { tag: 850, name: 'TargetStrategyPerformance', type: 'FLOAT' },
  851: {
    tag: 851,
    name: 'LastLiquidityInd',
    type: 'INT',
    values: { '1': 'ADDED_LIQUIDITY', '2': 'REMOVED_LIQUIDITY', '3': 'LIQUIDITY_ROUTED_OUT' },
  },
  854: { tag: 854, name: 'QtyType', type: 'INT', values: { '0': 'UNITS', '1': 'CONTRACTS' } },
  864: { tag: 864, name: 'NoEvents', type: 'NUMINGROUP' },
  865: {
    tag: 865,
    name: 'EventType',
    type: 'INT',
    values: { '1': 'PUT', '2': 'CALL', '3': 'TENDER', '4': 'SINKING_FUND_CALL', '99': 'OTHER' },
  },
  866: { tag: 866, name: 'EventDate', type: 'LOCALMKTDATE' },
  867: { tag: 867, name: 'EventPx', type: 'PRICE' },
  868: { tag: 868, name: 'EventText', type: 'STRING' },
  873: { tag: 873, name: 'DatedDate', type: 'LOCALMKTDATE' },
  874: { tag: 874, name: 'InterestAccrualDate', type: 'LOCALMKTDATE' },
  875: { tag: 875, name: 'CPProgram', type: 'INT' },
  876: { tag: 876, name: 'CPRegType', type: 'STRING' },
  877: { tag: 877, name: 'UnderlyingCPProgram', type: 'STRING' },
  878: { tag: 878, name: 'UnderlyingCPRegType', type: 'STRING' },
  879: { tag: 879, name: 'UnderlyingQty', type: 'QTY' },
  882: { tag: 882, name: 'UnderlyingDirtyPrice', type: 'PRICE' },
  883: { tag: 883, name: 'UnderlyingEndPrice', type: 'PRICE' },
  884: { tag: 884, name: 'UnderlyingStartValue', type: 'AMT' },
  885: { tag: 885, name: 'UnderlyingCurrentValue', type: 'AMT' },
  886: { tag: 886, name: 'UnderlyingEndValue', type: 'AMT' },
  887: { tag: 887, name: 'NoUnderlyingStips', type: 'NUMINGROUP' },
  888: { tag: 888, name: 'UnderlyingStipType', type: 'STRING' },
  889: { tag: 889, name: 'UnderlyingStipValue', type: 'STRING' },
  891: { tag: 891, name: 'MiscFeeBasis', type: 'INT', values: { '0': 'ABSOLUTE', '1': 'PER_UNIT', '2': 'PERCENTAGE' } },
  898: { tag: 898, name: 'MarginRatio', type: 'PERCENTAGE' },
  911: { tag: 911, name: 'TotNumReports', type: 'INT' },
  912: { tag: 912, name: 'LastRptRequested', type: 'BOOLEAN', values: { Y: 'YES', N: 'NO' } },
  913: { tag: 913, name: 'AgreementDesc', type: 'STRING' },
  914: { tag: 914, name: 'AgreementID', type: 'STRING' },
  915: { tag: 915, name: 'AgreementDate', type: 'LOCALMKTDATE' },
  916: { tag: 916, name: 'StartDate', type: 'LOCALMKTDATE' },
  917: { tag: 917, name: 'EndDate', type: 'LOCALMKTDATE' },
  918: { tag: 918, name: 'AgreementCurrency', type: 'CURRENCY' },
  919: {
    tag: 919,
    name: 'DeliveryType',
    type: 'INT',
    values: { '0': 'VERSUS_PAYMENT', '1': 'FREE', '2': 'TRI_PARTY', '3': 'HOLD_IN_CUSTODY' },
  },
  920: { tag: 920, name: 'EndAccruedInterestAmt', type: 'AMT' },
  921: { tag: 921, name: 'StartCash', type: 'AMT' },
  922: { tag: 922, name: 'EndCash', type: 'AMT' },
  941: { tag: 941, name: 'UnderlyingStrikeCurrency', type: 'CURRENCY' },
  942: { tag: 942, name: 'LegStrikeCurrency', type: 'CURRENCY' },
  943: { tag: 943, name: 'TimeBracket', type: 'STRING' },
  947: { tag: 947, name: 'StrikeCurrency', type: 'CURRENCY' },
  955: { tag: 955, name: 'LegContractSettlMonth', type: 'MONTHYEAR' },
  956: { tag: 956, name: 'LegInterestAccrualDate', type: 'LOCALMKTDATE' },
};

/** CommType (13) values by name. */
export const CommType = {
  PerUnit: '1',
  Percentage: '2',
  Absolute: '3',
  PercentageWaivedCashDiscount: '4',
  PercentageWaivedEnhancedUnits: '5',
  PointsPerBondOrOrContract: '6',
} as const;

/** ExecInst (18) values by name. */
export const ExecInst = {
  NotHeld: '1',
  Work: '2',
  GoAlong: '3',
  OverTheDay: '4',
  Held: '5',
  ParticipateDontInitiate: '6',
  StrictScale: '7',
  TryToScale: '8',
  StayOnBidside: '9',
  StayOnOfferside: '0',
  NoCross: 'A',
  OkToCross: 'B',
  CallFirst: 'C',
  PercentOfVolume: 'D',
  DoNotIncrease: 'E',
  DoNotReduce: 'F',
  AllOrNone: 'G',
  ReinstateOnSystemFailure: 'H',
  InstitutionsOnly: 'I',
  ReinstateOnTradingHalt: 'J',
  CancelOnTradingHalt: 'K',
  LastPeg: 'L',
  MidPrice: 'M',
  NonNegotiable: 'N',
  OpeningPeg: 'O',
  MarketPeg: 'P',
  CancelOnSystemFailure: 'Q',
  PrimaryPeg: 'R',
  Suspend: 'S',
  FixedPegToLocalBestBidOrOfferAtTimeOfOrder: 'T',
  CustomerDisplayInstruction: 'U',
  Netting: 'V',
  PegToVwap: 'W',
  TradeAlong: 'X',
  TryToStop: 'Y',
  CancelIfNotBest: 'Z',
  TrailingStopPeg: 'a',
  StrictLimit: 'b',
  IgnorePriceValidityChecks: 'c',
  PegToLimitPrice: 'd',
  WorkToTargetStrategy: 'e',
} as const;

/** HandlInst (21) values by name. */
export const HandlInst = {
  AutomatedExecutionOrderPrivate: '1',
  AutomatedExecutionOrderPublic: '2',
  ManualOrder: '3',
} as const;

/** SecurityIDSource (22) values by name. */
export const SecurityIDSource = {
  Cusip: '1',
  Sedol: '2',
  Quik: '3',
  IsinNumber: '4',
  RicCode: '5',
  IsoCurrencyCode: '6',
  IsoCountryCode: '7',
  ExchangeSymbol: '8',
  ConsolidatedTapeAssociation: '9',
  BloombergSymbol: 'A',
  Wertpapier: 'B',
  Dutch: 'C',
  Valoren: 'D',
  Sicovam: 'E',
  Belgian: 'F',
  Common: 'G',
  ClearingHouseClearingOrganization: 'H',
  IsdaFpmlProductSpecification: 'I',
  OptionsPriceReportingAuthority: 'J',
} as const;

/** LastCapacity (29) values by name. */
export const LastCapacity = {
  Agent: '1',
  CrossAsAgent: '2',
  CrossAsPrincipal: '3',
  Principal: '4',
} as const;

/** MsgType (35) values by name. */
export const MsgType = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  IndicationOfInterest: '6',
  Advertisement: '7',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  Logon: 'A',
  News: 'B',
  Email: 'C',
  OrderSingle: 'D',
  OrderList: 'E',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  AllocationInstruction: 'J',
  ListCancelRequest: 'K',
  ListExecute: 'L',
  ListStatusRequest: 'M',
  ListStatus: 'N',
  AllocationInstructionAck: 'P',
  DontKnowTrade: 'Q',
  QuoteRequest: 'R',
  Quote: 'S',
  SettlementInstructions: 'T',
  MarketDataRequest: 'V',
  MarketDataSnapshotFullRefresh: 'W',
  MarketDataIncrementalRefresh: 'X',
  MarketDataRequestReject: 'Y',
  QuoteCancel: 'Z',
  QuoteStatusRequest: 'a',
  MassQuoteAcknowledgement: 'b',
  SecurityDefinitionRequest: 'c',
  SecurityDefinition: 'd',
  SecurityStatusRequest: 'e',
  SecurityStatus: 'f',
  TradingSessionStatusRequest: 'g',
  TradingSessionStatus: 'h',
  MassQuote: 'i',
  BusinessMessageReject: 'j',
  BidRequest: 'k',
  BidResponse: 'l',
  ListStrikePrice: 'm',
  XmlMessage: 'n',
  RegistrationInstructions: 'o',
  RegistrationInstructionsResponse: 'p',
  OrderMassCancelRequest: 'q',
  OrderMassCancelReport: 'r',
  NewOrderCross: 's',
  CrossOrderCancelReplaceRequest: 't',
  CrossOrderCancelRequest: 'u',
  SecurityTypeRequest: 'v',
  SecurityTypes: 'w',
  SecurityListRequest: 'x',
  SecurityList: 'y',
  DerivativeSecurityListRequest: 'z',
  DerivativeSecurityList: 'AA',
  NewOrderMultileg: 'AB',
  MultilegOrderCancelReplace: 'AC',
  TradeCaptureReportRequest: 'AD',
  TradeCaptureReport: 'AE',
  OrderMassStatusRequest: 'AF',
  QuoteRequestReject: 'AG',
  RfqRequest: 'AH',
  QuoteStatusReport: 'AI',
  QuoteResponse: 'AJ',
  Confirmation: 'AK',
  PositionMaintenanceRequest: 'AL',
  PositionMaintenanceReport: 'AM',
  RequestForPositions: 'AN',
  RequestForPositionsAck: 'AO',
  PositionReport: 'AP',
  TradeCaptureReportRequestAck: 'AQ',
  TradeCaptureReportAck: 'AR',
  AllocationReport: 'AS',
  AllocationReportAck: 'AT',
  ConfirmationAck: 'AU',
  SettlementInstructionRequest: 'AV',
  AssignmentReport: 'AW',
  CollateralRequest: 'AX',
  CollateralAssignment: 'AY',
  CollateralResponse: 'AZ',
  CollateralReport: 'BA',
  CollateralInquiry: 'BB',
  NetworkStatusRequest: 'BC',
  NetworkStatusResponse: 'BD',
  UserRequest: 'BE',
  UserResponse: 'BF',
  CollateralInquiryAck: 'BG',
  ConfirmationRequest: 'BH',
} as const;

/** OrdStatus (39) values by name. */
export const OrdStatus = {
  New: '0',
  PartiallyFilled: '1',
  Filled: '2',
  DoneForDay: '3',
  Canceled: '4',
  Replaced: '5',
  PendingCancel: '6',
  Stopped: '7',
  Rejected: '8',
  Suspended: '9',
  PendingNew: 'A',
  Calculated: 'B',
  Expired: 'C',
  AcceptedForBidding: 'D',
  PendingReplace: 'E',
} as const;

/** OrdType (40) values by name. */
export const OrdType = {
  Market: '1',
  Limit: '2',
  Stop: '3',
  StopLimit: '4',
  MarketOnClose: '5',
  WithOrWithout: '6',
  LimitOrBetter: '7',
  LimitWithOrWithout: '8',
  OnBasis: '9',
  OnClose: 'A',
  LimitOnClose: 'B',
  ForexMarket: 'C',
  PreviouslyQuoted: 'D',
  PreviouslyIndicated: 'E',
  ForexLimit: 'F',
  ForexSwap: 'G',
  ForexPreviouslyQuoted: 'H',
  Funari: 'I',
  MarketIfTouched: 'J',
  MarketWithLeftoverAsLimit: 'K',
  PreviousFundValuationPoint: 'L',
  NextFundValuationPoint: 'M',
  Pegged: 'P',
} as const;

/** PossDupFlag (43) values by name. */
export const PossDupFlag = {
  Yes: 'Y',
  No: 'N',
} as const;

/** Side (54) values by name. */
export const Side = {
  Buy: '1',
  Sell: '2',
  BuyMinus: '3',
  SellPlus: '4',
  SellShort: '5',
  SellShortExempt: '6',
  Undisclosed: '7',
  Cross: '8',
  CrossShort: '9',
  CrossShortExempt: 'A',
  AsDefined: 'B',
  Opposite: 'C',
  Subscribe: 'D',
  Redeem: 'E',
  Lend: 'F',
  Borrow: 'G',
} as const;

/** TimeInForce (59) values by name. */
export const TimeInForce = {
  Day: '0',
  GoodTillCancel: '1',
  AtTheOpening: '2',
  ImmediateOrCancel: '3',
  FillOrKill: '4',
  GoodTillCrossing: '5',
  GoodTillDate: '6',
  AtTheClose: '7',
} as const;

/** SettlType (63) values by name. */
export const SettlType = {
  Regular: '0',
  Cash: '1',
  NextDay: '2',
  TPlus2: '3',
  TPlus3: '4',
  TPlus4: '5',
  Future: '6',
  WhenAndIfIssued: '7',
  SellersOption: '8',
  TPlus5: '9',
} as const;

/** SymbolSfx (65) values by name. */
export const SymbolSfx = {
  WhenIssued: 'WI',
  AEucpWithLumpSumInterest: 'CD',
} as const;

/** PositionEffect (77) values by name. */
export const PositionEffect = {
  Open: 'O',
  Close: 'C',
  Rolled: 'R',
  Fifo: 'F',
} as const;

/** ProcessCode (81) values by name. */
export const ProcessCode = {
  Regular: '0',
  SoftDollar: '1',
  StepIn: '2',
  StepOut: '3',
  SoftDollarStepIn: '4',
  SoftDollarStepOut: '5',
  PlanSponsor: '6',
} as const;

/** PossResend (97) values by name. */
export const PossResend = {
  Yes: 'Y',
  No: 'N',
} as const;

/** EncryptMethod (98) values by name. */
export const EncryptMethod = {
  NoneOther: '0',
  Pkcs: '1',
  Des: '2',
  PkcsDes: '3',
  PgpDes: '4',
  PgpDesMd5: '5',
  PemDesMd5: '6',
} as const;

/** CxlRejReason (102) values by name. */
export const CxlRejReason = {
  TooLateToCancel: '0',
  UnknownOrder: '1',
  BrokerExchangeOption: '2',
  OrderAlreadyInPendingCancelOrPendingReplaceStatus: '3',
  UnableToProcessOrderMassCancelRequest: '4',
  OrigordmodtimeDidNotMatchLastTransacttimeOfOrder: '5',
  DuplicateClordidReceived: '6',
  Other: '99',
} as const;

/** OrdRejReason (103) values by name. */
export const OrdRejReason = {
  BrokerExchangeOption: '0',
  UnknownSymbol: '1',
  ExchangeClosed: '2',
  OrderExceedsLimit: '3',
  TooLateToEnter: '4',
  UnknownOrder: '5',
  DuplicateOrder: '6',
  DuplicateOfAVerballyCommunicatedOrder: '7',
  StaleOrder: '8',
  TradeAlongRequired: '9',
  InvalidInvestorId: '10',
  UnsupportedOrderCharacteristic: '11',
  SurveillenceOption: '12',
  IncorrectQuantity: '13',
  IncorrectAllocatedQuantity: '14',
  UnknownAccount: '15',
  Other: '99',
} as const;

/** ReportToExch (113) values by name. */
export const ReportToExch = {
  Yes: 'Y',
  No: 'N',
} as const;

/** LocateReqd (114) values by name. */
export const LocateReqd = {
  Yes: 'Y',
  No: 'N',
} as const;

/** ForexReq (121) values by name. */
export const ForexReq = {
  Yes: 'Y',
  No: 'N',
} as const;

/** GapFillFlag (123) values by name. */
export const GapFillFlag = {
  Yes: 'Y',
  No: 'N',
} as const;

/** MiscFeeType (139) values by name. */
export const MiscFeeType = {
  Regulatory: '1',
  Tax: '2',
  LocalCommission: '3',
  ExchangeFees: '4',
  Stamp: '5',
  Levy: '6',
  Other: '7',
  Markup: '8',
  ConsumptionTax: '9',
  PerTransaction: '10',
  Conversion: '11',
  Agent: '12',
} as const;

/** ResetSeqNumFlag (141) values by name. */
export const ResetSeqNumFlag = {
  Yes: 'Y',
  No: 'N',
} as const;

/** ExecType (150) values by name. */
export const ExecType = {
  New: '0',
  PartialFill: '1',
  Fill: '2',
  DoneForDay: '3',
  Canceled: '4',
  Replace: '5',
  PendingCancel: '6',
  Stopped: '7',
  Rejected: '8',
  Suspended: '9',
  PendingNew: 'A',
  Calculated: 'B',
  Expired: 'C',
  Restated: 'D',
  PendingReplace: 'E',
  Trade: 'F',
  TradeCorrect: 'G',
  TradeCancel: 'H',
  OrderStatus: 'I',
} as const;

/** SettlCurrFxRateCalc (156) values by name. */
export const SettlCurrFxRateCalc = {
  Multiply: 'M',
  Divide: 'D',
} as const;

/** SecurityType (167) values by name. */
export const SecurityType = {
  Wildcard: '?',
  AssetBackedSecurities: 'ABS',
  AmendedAndRestated: 'AMENDED',
  OtherAnticipationNotes: 'AN',
  BankersAcceptance: 'BA',
  BankNotes: 'BN',
  BillOfExchanges: 'BOX',
  BradyBond: 'BRADY',
  BridgeLoan: 'BRIDGE',
  BuySellback: 'BUYSELL',
  ConvertibleBond: 'CB',
  CertificateOfDeposit: 'CD',
  CallLoans: 'CL',
  CorpMortgageBackedSecurities: 'CMBS',
  CollateralizedMortgageObligation: 'CMO',
  CertificateOfObligation: 'COFO',
  CertificateOfParticipation: 'COFP',
  CorporateBond: 'CORP',
  CommercialPaper: 'CP',
  CorporatePrivatePlacement: 'CPP',
  CommonStock: 'CS',
  Defaulted: 'DEFLTED',
  DebtorInPossession: 'DINP',
  DepositNotes: 'DN',
  DualCurrency: 'DUAL',
  EuroCertificateOfDeposit: 'EUCD',
  EuroCorporateBond: 'EUCORP',
  EuroCommercialPaper: 'EUCP',
  EuroSovereigns: 'EUSOV',
  EuroSupranationalCoupons: 'EUSUPRA',
  FederalAgencyCoupon: 'FAC',
  FederalAgencyDiscountNote: 'FADN',
  ForeignExchangeContract: 'FOR',
  Forward: 'FORWARD',
  Future: 'FUT',
  GeneralObligationBonds: 'GO',
  IoetteMortgage: 'IET',
  LetterOfCredit: 'LOFC',
  LiquidityNote: 'LQN',
  Matured: 'MATURED',
  MortgageBackedSecurities: 'MBS',
  MutualFund: 'MF',
  MortgageInterestOnly: 'MIO',
  MultiLegInstrument: 'MLEG',
  MortgagePrincipalOnly: 'MPO',
  MortgagePrivatePlacement: 'MPP',
  MiscellaneousPassThrough: 'MPT',
  MandatoryTender: 'MT',
  MediumTermNotes: 'MTN',
  NoSecurityType: 'NONE',
  Overnight: 'ONITE',
  Option: 'OPT',
  PrivateExportFunding: 'PEF',
  Pfandbriefe: 'PFAND',
  PromissoryNote: 'PN',
  PreferredStock: 'PS',
  PlazosFijos: 'PZFJ',
  RevenueAnticipationNote: 'RAN',
  Replaced: 'REPLACD',
  Repurchase: 'REPO',
  Retired: 'RETIRED',
  RevenueBonds: 'REV',
  RevolverLoan: 'RVLV',
  RevolverTermLoan: 'RVLVTRM',
  SecuritiesLoan: 'SECLOAN',
  SecuritiesPledge: 'SECPLEDGE',
  SpecialAssessment: 'SPCLA',
  SpecialObligation: 'SPCLO',
  SpecialTax: 'SPCLT',
  ShortTermLoanNote: 'STN',
  StructuredNotes: 'STRUCT',
  UsdSupranationalCoupons: 'SUPRA',
  SwingLineFacility: 'SWING',
  TaxAnticipationNote: 'TAN',
  TaxAllocation: 'TAXA',
  ToBeAnnounced: 'TBA',
  UsTreasuryBill: 'TBILL',
  UsTreasuryBond: 'TBOND',
  PrincipalStripOfACallableBondOrNote: 'TCAL',
  TimeDeposit: 'TD',
  TaxExemptCommercialPaper: 'TECP',
  TermLoan: 'TERM',
  InterestStripFromAnyBondOrNote: 'TINT',
  TreasuryInflationProtectedSecurities: 'TIPS',
  UsTreasuryNote: 'TNOTE',
  PrincipalStripFromANonCallableBondOrNote: 'TPRN',
  TaxAndRevenueAnticipationNote: 'TRAN',
  VariableRateDemandNote: 'VRDN',
  Warrant: 'WAR',
  Withdrawn: 'WITHDRN',
  ExtendedCommNote: 'XCN',
  IndexedLinked: 'XLINKD',
  YankeeCorporateBond: 'YANK',
  YankeeCertificateOfDeposit: 'YCD',
} as const;

/** PutOrCall (201) values by name. */
export const PutOrCall = {
  Put: '0',
  Call: '1',
} as const;

/** CoveredOrUncovered (203) values by name. */
export const CoveredOrUncovered = {
  Covered: '0',
  Uncovered: '1',
} as const;

/** BenchmarkCurveName (221) values by name. */
export const BenchmarkCurveName = {
  Muniaaa: 'MuniAAA',
  Futureswap: 'FutureSWAP',
  Libid: 'LIBID',
  Libor: 'LIBOR',
  Other: 'OTHER',
  Swap: 'SWAP',
  Treasury: 'Treasury',
  Euribor: 'Euribor',
  Pfandbriefe: 'Pfandbriefe',
  Eonia: 'EONIA',
  Sonia: 'SONIA',
  Eurepo: 'EUREPO',
} as const;

/** StipulationType (233) values by name. */
export const StipulationType = {
  Amt: 'AMT',
  AutoReinvestmentAtOrBetter: 'AUTOREINV',
  BankQualified: 'BANKQUAL',
  BargainConditions: 'BGNCON',
  CouponRange: 'COUPON',
  IsoCurrencyCode: 'CURRENCY',
  CustomStartEndDate: 'CUSTOMDATE',
  GeographicsAndPercentRange: 'GEOG',
  ValuationDiscount: 'HAIRCUT',
  Insured: 'INSURED',
  YearOrYearMonthOfIssue: 'ISSUE',
  IssuersTicker: 'ISSUER',
  IssueSizeRange: 'ISSUESIZE',
  LookbackDays: 'LOOKBACK',
  ExplicitLotIdentifier: 'LOT',
  LotVariance: 'LOTVAR',
  MaturityYearAndMonth: 'MAT',
  MaturityRange: 'MATURITY',
  MaximumSubstitutions: 'MAXSUBS',
  MinimumQuantity: 'MINQTY',
  MinimumIncrement: 'MININCR',
  MinimumDenomination: 'MINDNOM',
  PaymentFrequencyCalendar: 'PAYFREQ',
  NumberOfPieces: 'PIECES',
  PoolsMaximum: 'PMAX',
  PoolsPerMillion: 'PPM',
  PoolsPerLot: 'PPL',
  PoolsPerTrade: 'PPT',
  PriceRange: 'PRICE',
  PricingFrequency: 'PRICEFREQ',
  ProductionYear: 'PROD',
  CallProtection: 'PROTECT',
  Purpose: 'PURPOSE',
  BenchmarkPriceSource: 'PXSOURCE',
  RatingSourceAndRange: 'RATING',
  Restricted: 'RESTRICTED',
  MarketSector: 'SECTOR',
  SecuritytypeIncludedOrExcluded: 'SECTYPE',
  Structure: 'STRUCT',
  SubstitutionsFrequency: 'SUBSFREQ',
  SubstitutionsLeft: 'SUBSLEFT',
  FreeformText: 'TEXT',
  TradeVariance: 'TRDVAR',
  WeightedAverageCoupon: 'WAC',
  WeightedAverageLifeCoupon: 'WAL',
  WeightedAverageLoanAge: 'WALA',
  WeightedAverageMaturity: 'WAM',
  WholePool: 'WHOLE',
  YieldRange: 'YIELD',
  SingleMonthlyMortality: 'SMM',
  ConstantPrepaymentRate: 'CPR',
  ConstantPrepaymentYield: 'CPY',
  ConstantPrepaymentPenalty: 'CPP',
  AbsolutePrepaymentSpeed: 'ABS',
  MonthlyPrepaymentRate: 'MPR',
  PercentOfBmaPrepaymentCurve: 'PSA',
  PercentOfProspectusPrepaymentCurve: 'PPC',
  PercentOfManufacturedHousingPrepaymentCurve: 'MHP',
  FinalCprOfHomeEquityPrepaymentCurve: 'HEP',
} as const;

/** StipulationValue (234) values by name. */
export const StipulationValue = {
  SpecialCumDividend: 'CD',
  SpecialExDividend: 'XD',
  SpecialCumCoupon: 'CC',
  SpecialExCoupon: 'XC',
  SpecialCumBonus: 'CB',
  SpecialExBonus: 'XB',
  SpecialCumRights: 'CR',
  SpecialExRights: 'XR',
  SpecialCumCapitalRepayments: 'CP',
  SpecialExCapitalRepayments: 'XP',
  CashSettlement: 'CS',
  SpecialPrice: 'SP',
  ReportForEuropeanEquityMarketSecurities: 'TR',
  GuaranteedDelivery: 'GD',
} as const;

/** YieldType (235) values by name. */
export const YieldType = {
  AfterTaxYield: 'AFTERTAX',
  AnnualYield: 'ANNUAL',
  YieldAtIssue: 'ATISSUE',
  YieldToAverageMaturity: 'AVGMATURITY',
  BookYield: 'BOOK',
  YieldToNextCall: 'CALL',
  YieldChangeSinceClose: 'CHANGE',
  ClosingYield: 'CLOSE',
  CompoundYield: 'COMPOUND',
  CurrentYield: 'CURRENT',
  TrueGrossYield: 'GROSS',
  GovernmentEquivalentYield: 'GOVTEQUIV',
  YieldWithInflationAssumption: 'INFLATION',
  InverseFloaterBondYield: 'INVERSEFLOATER',
  MostRecentClosingYield: 'LASTCLOSE',
  ClosingYieldMostRecentMonth: 'LASTMONTH',
  ClosingYieldMostRecentQuarter: 'LASTQUARTER',
  ClosingYieldMostRecentYear: 'LASTYEAR',
  YieldToLongestAverageLife: 'LONGAVGLIFE',
  MarkToMarketYield: 'MARK',
  YieldToMaturity: 'MATURITY',
  YieldToNextRefund: 'NEXTREFUND',
  OpenAverageYield: 'OPENAVG',
  YieldToNextPut: 'PUT',
  PreviousCloseYield: 'PREVCLOSE',
  ProceedsYield: 'PROCEEDS',
  SemiAnnualYield: 'SEMIANNUAL',
  YieldToShortestAverageLife: 'SHORTAVGLIFE',
  SimpleYield: 'SIMPLE',
  TaxEquivalentYield: 'TAXEQUIV',
  YieldToTenderDate: 'TENDER',
  TrueYield: 'TRUE',
  YieldValueOf132: 'VALUE1_32',
  YieldToWorst: 'WORST',
} as const;

/** TradedFlatSwitch (258) values by name. */
export const TradedFlatSwitch = {
  Yes: 'Y',
  No: 'N',
} as const;

/** UnderlyingPutOrCall (315) values by name. */
export const UnderlyingPutOrCall = {
  Put: '0',
  Call: '1',
} as const;

/** MessageEncoding (347) values by name. */
export const MessageEncoding = {
  Iso2022Jp: 'ISO-2022-JP',
  EucJp: 'EUC-JP',
  ShiftJis: 'SHIFT_JIS',
  Utf8: 'UTF-8',
} as const;

/** SessionRejectReason (373) values by name. */
export const SessionRejectReason = {
  InvalidTagNumber: '0',
  RequiredTagMissing: '1',
  TagNotDefinedForThisMessageType: '2',
  UndefinedTag: '3',
  TagSpecifiedWithoutAValue: '4',
  ValueIsIncorrect: '5',
  IncorrectDataFormatForValue: '6',
  DecryptionProblem: '7',
  SignatureProblem: '8',
  CompidProblem: '9',
  SendingtimeAccuracyProblem: '10',
  InvalidMsgtype: '11',
  XmlValidationError: '12',
  TagAppearsMoreThanOnce: '13',
  TagSpecifiedOutOfRequiredOrder: '14',
  RepeatingGroupFieldsOutOfOrder: '15',
  IncorrectNumingroupCountForRepeatingGroup: '16',
  NonDataValueIncludesFieldDelimiter: '17',
  Other: '99',
} as const;

/** SolicitedFlag (377) values by name. */
export const SolicitedFlag = {
  Yes: 'Y',
  No: 'N',
} as const;

/** ExecRestatementReason (378) values by name. */
export const ExecRestatementReason = {
  GtCorporateAction: '0',
  GtRenewalRestatement: '1',
  VerbalChange: '2',
  RepricingOfOrder: '3',
  BrokerOption: '4',
  PartialDeclineOfOrderqty: '5',
  CancelOnTradingHalt: '6',
  CancelOnSystemFailure: '7',
  MarketOption: '8',
  CanceledNotBest: '9',
  WarehouseRecap: '10',
  Other: '99',
} as const;

/** BusinessRejectReason (380) values by name. */
export const BusinessRejectReason = {
  Other: '0',
  UnkownId: '1',
  UnknownSecurity: '2',
  UnsupportedMessageType: '3',
  ApplicationNotAvailable: '4',
  ConditionallyRequiredFieldMissing: '5',
  NotAuthorized: '6',
  DelivertoFirmNotAvailableAtThisTime: '7',
} as const;

/** MsgDirection (385) values by name. */
export const MsgDirection = {
  Send: 'S',
  Receive: 'R',
} as const;

/** DiscretionInst (388) values by name. */
export const DiscretionInst = {
  RelatedToDisplayedPrice: '0',
  RelatedToMarketPrice: '1',
  RelatedToPrimaryPrice: '2',
  RelatedToLocalPrimaryPrice: '3',
  RelatedToMidpointPrice: '4',
  RelatedToLastTradePrice: '5',
  RelatedToVwap: '6',
} as const;

/** PriceType (423) values by name. */
export const PriceType = {
  Percentage: '1',
  PerUnit: '2',
  FixedAmount: '3',
  Discount: '4',
  Premium: '5',
  Spread: '6',
  TedPrice: '7',
  TedYield: '8',
  Yield: '9',
  FixedCabinetTradePrice: '10',
  VariableCabinetTradePrice: '11',
} as const;

/** GTBookingInst (427) values by name. */
export const GTBookingInst = {
  BookOutAllTradesOnDayOfExecution: '0',
  AccumulateExecutionsUntilOrderIsFilledOrExpires: '1',
  AccumulateUntilVerballyNotifiedOtherwise: '2',
} as const;

/** CxlRejResponseTo (434) values by name. */
export const CxlRejResponseTo = {
  OrderCancelRequest: '1',
  OrderCancelReplaceRequest: '2',
} as const;

/** MultiLegReportingType (442) values by name. */
export const MultiLegReportingType = {
  SingleSecurity: '1',
  IndividualLegOfAMultiLegSecurity: '2',
  MultiLegSecurity: '3',
} as const;

/** PartyIDSource (447) values by name. */
export const PartyIDSource = {
  Bic: 'B',
  GenerallyAcceptedMarketParticipantIdentifier: 'C',
  ProprietaryCustomCode: 'D',
  IsoCountryCode: 'E',
  SettlementEntityLocation: 'F',
  Mic: 'G',
  CsdParticipantMemberCode: 'H',
  KoreanInvestorId: '1',
  TaiwaneseQualifiedForeignInvestorIdQfiiFid: '2',
  TaiwaneseTradingAccount: '3',
  MalaysianCentralDepositoryNumber: '4',
  ChineseBShare: '5',
  UkNationalInsuranceOrPensionNumber: '6',
  UsSocialSecurityNumber: '7',
  UsEmployerIdentificationNumber: '8',
  AustralianBusinessNumber: '9',
  AustralianTaxFileNumber: 'A',
  DirectedBroker: 'I',
} as const;

/** PartyRole (452) values by name. */
export const PartyRole = {
  ExecutingFirm: '1',
  BrokerOfCredit: '2',
  ClientId: '3',
  ClearingFirm: '4',
  InvestorId: '5',
  IntroducingFirm: '6',
  EnteringFirm: '7',
  LocateLendingFirm: '8',
  FundManagerClientId: '9',
  SettlementLocation: '10',
  OrderOriginationTrader: '11',
  ExecutingTrader: '12',
  OrderOriginationFirm: '13',
  GiveupClearingFirm: '14',
  CorrespondantClearingFirm: '15',
  ExecutingSystem: '16',
  ContraFirm: '17',
  ContraClearingFirm: '18',
  SponsoringFirm: '19',
  UnderlyingContraFirm: '20',
  ClearingOrganization: '21',
  Exchange: '22',
  CustomerAccount: '24',
  CorrespondentClearingOrganization: '25',
  CorrespondentBroker: '26',
  BuyerSeller: '27',
  Custodian: '28',
  Intermediary: '29',
  Agent: '30',
  SubCustodian: '31',
  Beneficiary: '32',
  InterestedParty: '33',
  RegulatoryBody: '34',
  LiquidityProvider: '35',
  EnteringTrader: '36',
  ContraTrader: '37',
  PositionAccount: '38',
} as const;

/** Product (460) values by name. */
export const Product = {
  Agency: '1',
  Commodity: '2',
  Corporate: '3',
  Currency: '4',
  Equity: '5',
  Government: '6',
  Index: '7',
  Loan: '8',
  Moneymarket: '9',
  Mortgage: '10',
  Municipal: '11',
  Other: '12',
  Financing: '13',
} as const;

/** TestMessageIndicator (464) values by name. */
export const TestMessageIndicator = {
  Yes: 'Y',
  No: 'N',
} as const;

/** RoundingDirection (468) values by name. */
export const RoundingDirection = {
  RoundToNearest: '0',
  RoundDown: '1',
  RoundUp: '2',
} as const;

/** CancellationRights (480) values by name. */
export const CancellationRights = {
  Yes: 'Y',
  NoExecutionOnly: 'N',
  NoWaiverAgreement: 'M',
  NoInstitutional: 'O',
} as const;

/** MoneyLaunderingStatus (481) values by name. */
export const MoneyLaunderingStatus = {
  Passed: 'Y',
  NotChecked: 'N',
  ExemptBelowTheLimit: '1',
  ExemptClientMoneyTypeExemption: '2',
  ExemptAuthorisedCreditOrFinancialInstitution: '3',
} as const;

/** ExecPriceType (484) values by name. */
export const ExecPriceType = {
  BidPrice: 'B',
  CreationPrice: 'C',
  CreationPricePlusAdjustmentPercent: 'D',
  CreationPricePlusAdjustmentAmount: 'E',
  OfferPrice: 'O',
  OfferPriceMinusAdjustmentPercent: 'P',
  OfferPriceMinusAdjustmentAmount: 'Q',
  SinglePrice: 'S',
} as const;

/** FundRenewWaiv (497) values by name. */
export const FundRenewWaiv = {
  Yes: 'Y',
  No: 'N',
} as const;

/** ContAmtType (519) values by name. */
export const ContAmtType = {
  CommissionAmount: '1',
  CommissionPercent: '2',
  InitialChargeAmount: '3',
  InitialChargePercent: '4',
  DiscountAmount: '5',
  DiscountPercent: '6',
  DilutionLevyAmount: '7',
  DilutionLevyPercent: '8',
  ExitChargeAmount: '9',
} as const;

/** OrderCapacity (528) values by name. */
export const OrderCapacity = {
  Agency: 'A',
  Proprietary: 'G',
  Individual: 'I',
  Principal: 'P',
  RisklessPrincipal: 'R',
  AgentForOtherMember: 'W',
} as const;

/** OrderRestrictions (529) values by name. */
export const OrderRestrictions = {
  ProgramTrade: '1',
  IndexArbitrage: '2',
  NonIndexArbitrage: '3',
  CompetingMarketMaker: '4',
  ActingAsMarketMakerOrSpecialistInTheSecurity: '5',
  ActingAsMarketMakerOrSpecialistInTheUnderlyingSecurityOfADerivativeSecurity: '6',
  ForeignEntity: '7',
  ExternalMarketParticipant: '8',
  ExternalInterConnectedMarketLinkage: '9',
  RisklessArbitrage: 'A',
} as const;

/** CashMargin (544) values by name. */
export const CashMargin = {
  Cash: '1',
  MarginOpen: '2',
  MarginClose: '3',
} as const;

/** CrossType (549) values by name. */
export const CrossType = {
  CrossTradeWhichIsExecutedCompletelyOrNot: '1',
  CrossTradeWhichIsExecutedPartiallyAndTheRestIsCancelled: '2',
  CrossTradeWhichIsPartiallyExecutedWithTheUnfilledPortionsRemainingActive: '3',
  CrossTradeIsExecutedWithExistingOrdersWithTheSamePrice: '4',
} as const;

/** AccountType (581) values by name. */
export const AccountType = {
  AccountIsCarriedOnCustomerSideOfBooks: '1',
  AccountIsCarriedOnNonCustomerSideOfBooks: '2',
  HouseTrader: '3',
  FloorTrader: '4',
  AccountIsCarriedOnNonCustomerSideOfBooksAndIsCrossMargined: '6',
  AccountIsHouseTraderAndIsCrossMargined: '7',
  JointBackofficeAccount: '8',
} as const;

/** CustOrderCapacity (582) values by name. */
export const CustOrderCapacity = {
  MemberTradingForTheirOwnAccount: '1',
  ClearingFirmTradingForItsProprietaryAccount: '2',
  MemberTradingForAnotherMember: '3',
  AllOther: '4',
} as const;

/** DayBookingInst (589) values by name. */
export const DayBookingInst = {
  CanTriggerBookingWithoutReferenceToTheOrderInitiator: '0',
  SpeakWithOrderInitiatorBeforeBooking: '1',
  Accumulate: '2',
} as const;

/** BookingUnit (590) values by name. */
export const BookingUnit = {
  EachPartialExecutionIsABookableUnit: '0',
  AggregatePartialExecutionsOnThisOrderAndBookOneTradePerOrder: '1',
  AggregateExecutionsForThisSymbolSideAndSettlementDate: '2',
} as const;

/** PreallocMethod (591) values by name. */
export const PreallocMethod = {
  ProRata: '0',
  DoNotProRata: '1',
} as const;

/** ClearingFeeIndicator (635) values by name. */
export const ClearingFeeIndicator = {
  CboeMember: 'B',
  NonMemberAndCustomer: 'C',
  EquityMemberAndClearingMember: 'E',
  FullAndAssociateMemberTradingForOwnAccountAndAsFloorBrokers: 'F',
  Firms106hAnd106j: 'H',
  GimIdemAndComMembershipInterestHolders: 'I',
  LesseeAnd106fEmployees: 'L',
  AllOtherOwnershipTypes: 'M',
} as const;

/** WorkingIndicator (636) values by name. */
export const WorkingIndicator = {
  Yes: 'Y',
  No: 'N',
} as const;

/** PriorityIndicator (638) values by name. */
export const PriorityIndicator = {
  PriorityUnchanged: '0',
  LostPriorityAsResultOfOrderChange: '1',
} as const;

/** AcctIDSource (660) values by name. */
export const AcctIDSource = {
  Bic: '1',
  SidCode: '2',
  Tfm: '3',
  Omgeo: '4',
  DtccCode: '5',
  Other: '99',
} as const;

/** LegSwapType (690) values by name. */
export const LegSwapType = {
  ParForPar: '1',
  ModifiedDuration: '2',
  Risk: '4',
  Proceeds: '5',
} as const;

/** BenchmarkSecurityIDSource (761) values by name. */
export const BenchmarkSecurityIDSource = {
  Cusip: '1',
  Sedol: '2',
  Quik: '3',
  IsinNumber: '4',
  RicCode: '5',
  IsoCurrencyCode: '6',
  IsoCountryCode: '7',
  ExchangeSymbol: '8',
  ConsolidatedTapeAssociation: '9',
  BloombergSymbol: 'A',
  Wertpapier: 'B',
  Dutch: 'C',
  Valoren: 'D',
  Sicovam: 'E',
  Belgian: 'F',
  Common: 'G',
  ClearingHouseClearingOrganization: 'H',
  IsdaFpmlProductSpecification: 'I',
  OptionsPriceReportingAuthority: 'J',
} as const;

/** BookingType (775) values by name. */
export const BookingType = {
  RegularBooking: '0',
  Cfd: '1',
  TotalReturnSwap: '2',
} as const;

/** TerminationType (788) values by name. */
export const TerminationType = {
  Overnight: '1',
  Term: '2',
  Flexible: '3',
  Open: '4',
} as const;

/** CopyMsgIndicator (797) values by name. */
export const CopyMsgIndicator = {
  Yes: 'Y',
  No: 'N',
} as const;

/** PegMoveType (835) values by name. */
export const PegMoveType = {
  Floating: '0',
  Fixed: '1',
} as const;

/** PegOffsetType (836) values by name. */
export const PegOffsetType = {
  Price: '0',
  BasisPoints: '1',
  Ticks: '2',
  PriceTierLevel: '3',
} as const;

/** PegLimitType (837) values by name. */
export const PegLimitType = {
  OrBetter: '0',
  Strict: '1',
  OrWorse: '2',
} as const;

/** PegRoundDirection (838) values by name. */
export const PegRoundDirection = {
  MoreAggressive: '1',
  MorePassive: '2',
} as const;

/** PegScope (840) values by name. */
export const PegScope = {
  Local: '1',
  National: '2',
  Global: '3',
  NationalExcludingLocal: '4',
} as const;

/** DiscretionMoveType (841) values by name. */
export const DiscretionMoveType = {
  Floating: '0',
  Fixed: '1',
} as const;

/** DiscretionOffsetType (842) values by name. */
export const DiscretionOffsetType = {
  Price: '0',
  BasisPoints: '1',
  Ticks: '2',
  PriceTierLevel: '3',
} as const;

/** DiscretionLimitType (843) values by name. */
export const DiscretionLimitType = {
  OrBetter: '0',
  Strict: '1',
  OrWorse: '2',
} as const;

/** DiscretionRoundDirection (844) values by name. */
export const DiscretionRoundDirection = {
  MoreAggressive: '1',
  MorePassive: '2',
} as const;

/** DiscretionScope (846) values by name. */
export const DiscretionScope = {
  Local: '1',
  National: '2',
  Global: '3',
  NationalExcludingLocal: '4',
} as const;

/** LastLiquidityInd (851) values by name. */
export const LastLiquidityInd = {
  AddedLiquidity: '1',
  RemovedLiquidity: '2',
  LiquidityRoutedOut: '3',
} as const;

/** QtyType (854) values by name. */
export const QtyType = {
  Units: '0',
  Contracts: '1',
} as const;

/** EventType (865) values by name. */
export const EventType = {
  Put: '1',
  Call: '2',
  Tender: '3',
  SinkingFundCall: '4',
  Other: '99',
} as const;

/** MiscFeeBasis (891) values by name. */
export const MiscFeeBasis = {
  Absolute: '0',
  PerUnit: '1',
  Percentage: '2',
} as const;

/** LastRptRequested (912) values by name. */
export const LastRptRequested = {
  Yes: 'Y',
  No: 'N',
} as const;

/** DeliveryType (919) values by name. */
export const DeliveryType = {
  VersusPayment: '0',
  Free: '1',
  TriParty: '2',
  HoldInCustody: '3',
} as const;

export const HEADER: readonly Entry[] = [
  { kind: 'field', tag: 8, required: true }, // BeginString
  { kind: 'field', tag: 9, required: true }, // BodyLength
  { kind: 'field', tag: 35, required: true }, // MsgType
  { kind: 'field', tag: 49, required: true }, // SenderCompID
  { kind: 'field', tag: 56, required: true }, // TargetCompID
  { kind: 'field', tag: 115, required: false }, // OnBehalfOfCompID
  { kind: 'field', tag: 128, required: false }, // DeliverToCompID
  { kind: 'field', tag: 90, required: false }, // SecureDataLen
  { kind: 'field', tag: 91, required: false }, // SecureData
  { kind: 'field', tag: 34, required: true }, // MsgSeqNum
  { kind: 'field', tag: 50, required: false }, // SenderSubID
  { kind: 'field', tag: 142, required: false }, // SenderLocationID
  { kind: 'field', tag: 57, required: false }, // TargetSubID
  { kind: 'field', tag: 143, required: false }, // TargetLocationID
  { kind: 'field', tag: 116, required: false }, // OnBehalfOfSubID
  { kind: 'field', tag: 144, required: false }, // OnBehalfOfLocationID
  { kind: 'field', tag: 129, required: false }, // DeliverToSubID
  { kind: 'field', tag: 145, required: false }, // DeliverToLocationID
  { kind: 'field', tag: 43, required: false }, // PossDupFlag
  { kind: 'field', tag: 97, required: false }, // PossResend
  { kind: 'field', tag: 52, required: true }, // SendingTime
  { kind: 'field', tag: 122, required: false }, // OrigSendingTime
  { kind: 'field', tag: 212, required: false }, // XmlDataLen
  { kind: 'field', tag: 213, required: false }, // XmlData
  { kind: 'field', tag: 347, required: false }, // MessageEncoding
  { kind: 'field', tag: 369, required: false }, // LastMsgSeqNumProcessed
  // NoHops
  {
    kind: 'group',
    countTag: 627,
    required: false,
    delimiter: 628,
    entries: [
      { kind: 'field', tag: 628, required: false }, // HopCompID
      { kind: 'field', tag: 629, required: false }, // HopSendingTime
      { kind: 'field', tag: 630, required: false }, // HopRefID
    ],
  },
];

export const TRAILER: readonly Entry[] = [
  { kind: 'field', tag: 93, required: false }, // SignatureLength
  { kind: 'field', tag: 89, required: false }, // Signature
  { kind: 'field', tag: 10, required: true }, // CheckSum
];

/** Message layouts by MsgType (the wire value). */
export const MESSAGES: Readonly<Record<string, MessageDef>> = {
  '0': {
    name: 'Heartbeat',
    msgType: '0',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 112, required: false }, // TestReqID
    ],
  },
  A: {
    name: 'Logon',
    msgType: 'A',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 98, required: true }, // EncryptMethod
      { kind: 'field', tag: 108, required: true }, // HeartBtInt
      { kind: 'field', tag: 95, required: false }, // RawDataLength
      { kind: 'field', tag: 96, required: false }, // RawData
      { kind: 'field', tag: 141, required: false }, // ResetSeqNumFlag
      { kind: 'field', tag: 789, required: false }, // NextExpectedMsgSeqNum
      { kind: 'field', tag: 383, required: false }, // MaxMessageSize
      // NoMsgTypes
      {
        kind: 'group',
        countTag: 384,
        required: false,
        delimiter: 372,
        entries: [
          { kind: 'field', tag: 372, required: false }, // RefMsgType
          { kind: 'field', tag: 385, required: false }, // MsgDirection
        ],
      },
      { kind: 'field', tag: 464, required: false }, // TestMessageIndicator
      { kind: 'field', tag: 553, required: false }, // Username
      { kind: 'field', tag: 554, required: false }, // Password
    ],
  },
  '1': {
    name: 'TestRequest',
    msgType: '1',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 112, required: true }, // TestReqID
    ],
  },
  '2': {
    name: 'ResendRequest',
    msgType: '2',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 7, required: true }, // BeginSeqNo
      { kind: 'field', tag: 16, required: true }, // EndSeqNo
    ],
  },
  '3': {
    name: 'Reject',
    msgType: '3',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 45, required: true }, // RefSeqNum
      { kind: 'field', tag: 371, required: false }, // RefTagID
      { kind: 'field', tag: 372, required: false }, // RefMsgType
      { kind: 'field', tag: 373, required: false }, // SessionRejectReason
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
    ],
  },
  '4': {
    name: 'SequenceReset',
    msgType: '4',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 123, required: false }, // GapFillFlag
      { kind: 'field', tag: 36, required: true }, // NewSeqNo
    ],
  },
  '5': {
    name: 'Logout',
    msgType: '5',
    category: 'admin',
    entries: [
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
    ],
  },
  j: {
    name: 'BusinessMessageReject',
    msgType: 'j',
    category: 'app',
    entries: [
      { kind: 'field', tag: 45, required: false }, // RefSeqNum
      { kind: 'field', tag: 372, required: true }, // RefMsgType
      { kind: 'field', tag: 379, required: false }, // BusinessRejectRefID
      { kind: 'field', tag: 380, required: true }, // BusinessRejectReason
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
    ],
  },
  D: {
    name: 'NewOrderSingle',
    msgType: 'D',
    category: 'app',
    entries: [
      { kind: 'field', tag: 11, required: true }, // ClOrdID
      { kind: 'field', tag: 526, required: false }, // SecondaryClOrdID
      { kind: 'field', tag: 583, required: false }, // ClOrdLinkID
      // NoPartyIDs
      {
        kind: 'group',
        countTag: 453,
        required: false,
        delimiter: 448,
        entries: [
          { kind: 'field', tag: 448, required: false }, // PartyID
          { kind: 'field', tag: 447, required: false }, // PartyIDSource
          { kind: 'field', tag: 452, required: false }, // PartyRole
          // NoPartySubIDs
          {
            kind: 'group',
            countTag: 802,
            required: false,
            delimiter: 523,
            entries: [
              { kind: 'field', tag: 523, required: false }, // PartySubID
              { kind: 'field', tag: 803, required: false }, // PartySubIDType
            ],
          },
        ],
      },
      { kind: 'field', tag: 229, required: false }, // TradeOriginationDate
      { kind: 'field', tag: 75, required: false }, // TradeDate
      { kind: 'field', tag: 1, required: false }, // Account
      { kind: 'field', tag: 660, required: false }, // AcctIDSource
      { kind: 'field', tag: 581, required: false }, // AccountType
      { kind: 'field', tag: 589, required: false }, // DayBookingInst
      { kind: 'field', tag: 590, required: false }, // BookingUnit
      { kind: 'field', tag: 591, required: false }, // PreallocMethod
      { kind: 'field', tag: 70, required: false }, // AllocID
      // NoAllocs
      {
        kind: 'group',
        countTag: 78,
        required: false,
        delimiter: 79,
        entries: [
          { kind: 'field', tag: 79, required: false }, // AllocAccount
          { kind: 'field', tag: 661, required: false }, // AllocAcctIDSource
          { kind: 'field', tag: 736, required: false }, // AllocSettlCurrency
          { kind: 'field', tag: 467, required: false }, // IndividualAllocID
          // NoNestedPartyIDs
          {
            kind: 'group',
            countTag: 539,
            required: false,
            delimiter: 524,
            entries: [
              { kind: 'field', tag: 524, required: false }, // NestedPartyID
              { kind: 'field', tag: 525, required: false }, // NestedPartyIDSource
              { kind: 'field', tag: 538, required: false }, // NestedPartyRole
              // NoNestedPartySubIDs
              {
                kind: 'group',
                countTag: 804,
                required: false,
                delimiter: 545,
                entries: [
                  { kind: 'field', tag: 545, required: false }, // NestedPartySubID
                  { kind: 'field', tag: 805, required: false }, // NestedPartySubIDType
                ],
              },
            ],
          },
          { kind: 'field', tag: 80, required: false }, // AllocQty
        ],
      },
      { kind: 'field', tag: 63, required: false }, // SettlType
      { kind: 'field', tag: 64, required: false }, // SettlDate
      { kind: 'field', tag: 544, required: false }, // CashMargin
      { kind: 'field', tag: 635, required: false }, // ClearingFeeIndicator
      { kind: 'field', tag: 21, required: false }, // HandlInst
      { kind: 'field', tag: 18, required: false }, // ExecInst
      { kind: 'field', tag: 110, required: false }, // MinQty
      { kind: 'field', tag: 111, required: false }, // MaxFloor
      { kind: 'field', tag: 100, required: false }, // ExDestination
      // NoTradingSessions
      {
        kind: 'group',
        countTag: 386,
        required: false,
        delimiter: 336,
        entries: [
          { kind: 'field', tag: 336, required: false }, // TradingSessionID
          { kind: 'field', tag: 625, required: false }, // TradingSessionSubID
        ],
      },
      { kind: 'field', tag: 81, required: false }, // ProcessCode
      { kind: 'field', tag: 55, required: true }, // Symbol
      { kind: 'field', tag: 65, required: false }, // SymbolSfx
      { kind: 'field', tag: 48, required: false }, // SecurityID
      { kind: 'field', tag: 22, required: false }, // SecurityIDSource
      // NoSecurityAltID
      {
        kind: 'group',
        countTag: 454,
        required: false,
        delimiter: 455,
        entries: [
          { kind: 'field', tag: 455, required: false }, // SecurityAltID
          { kind: 'field', tag: 456, required: false }, // SecurityAltIDSource
        ],
      },
      { kind: 'field', tag: 460, required: false }, // Product
      { kind: 'field', tag: 461, required: false }, // CFICode
      { kind: 'field', tag: 167, required: false }, // SecurityType
      { kind: 'field', tag: 762, required: false }, // SecuritySubType
      { kind: 'field', tag: 200, required: false }, // MaturityMonthYear
      { kind: 'field', tag: 541, required: false }, // MaturityDate
      { kind: 'field', tag: 201, required: false }, // PutOrCall
      { kind: 'field', tag: 224, required: false }, // CouponPaymentDate
      { kind: 'field', tag: 225, required: false }, // IssueDate
      { kind: 'field', tag: 239, required: false }, // RepoCollateralSecurityType
      { kind: 'field', tag: 226, required: false }, // RepurchaseTerm
      { kind: 'field', tag: 227, required: false }, // RepurchaseRate
      { kind: 'field', tag: 228, required: false }, // Factor
      { kind: 'field', tag: 255, required: false }, // CreditRating
      { kind: 'field', tag: 543, required: false }, // InstrRegistry
      { kind: 'field', tag: 470, required: false }, // CountryOfIssue
      { kind: 'field', tag: 471, required: false }, // StateOrProvinceOfIssue
      { kind: 'field', tag: 472, required: false }, // LocaleOfIssue
      { kind: 'field', tag: 240, required: false }, // RedemptionDate
      { kind: 'field', tag: 202, required: false }, // StrikePrice
      { kind: 'field', tag: 947, required: false }, // StrikeCurrency
      { kind: 'field', tag: 206, required: false }, // OptAttribute
      { kind: 'field', tag: 231, required: false }, // ContractMultiplier
      { kind: 'field', tag: 223, required: false }, // CouponRate
      { kind: 'field', tag: 207, required: false }, // SecurityExchange
      { kind: 'field', tag: 106, required: false }, // Issuer
      { kind: 'field', tag: 348, required: false }, // EncodedIssuerLen
      { kind: 'field', tag: 349, required: false }, // EncodedIssuer
      { kind: 'field', tag: 107, required: false }, // SecurityDesc
      { kind: 'field', tag: 350, required: false }, // EncodedSecurityDescLen
      { kind: 'field', tag: 351, required: false }, // EncodedSecurityDesc
      { kind: 'field', tag: 691, required: false }, // Pool
      { kind: 'field', tag: 667, required: false }, // ContractSettlMonth
      { kind: 'field', tag: 875, required: false }, // CPProgram
      { kind: 'field', tag: 876, required: false }, // CPRegType
      // NoEvents
      {
        kind: 'group',
        countTag: 864,
        required: false,
        delimiter: 865,
        entries: [
          { kind: 'field', tag: 865, required: false }, // EventType
          { kind: 'field', tag: 866, required: false }, // EventDate
          { kind: 'field', tag: 867, required: false }, // EventPx
          { kind: 'field', tag: 868, required: false }, // EventText
        ],
      },
      { kind: 'field', tag: 873, required: false }, // DatedDate
      { kind: 'field', tag: 874, required: false }, // InterestAccrualDate
      { kind: 'field', tag: 913, required: false }, // AgreementDesc
      { kind: 'field', tag: 914, required: false }, // AgreementID
      { kind: 'field', tag: 915, required: false }, // AgreementDate
      { kind: 'field', tag: 918, required: false }, // AgreementCurrency
      { kind: 'field', tag: 788, required: false }, // TerminationType
      { kind: 'field', tag: 916, required: false }, // StartDate
      { kind: 'field', tag: 917, required: false }, // EndDate
      { kind: 'field', tag: 919, required: false }, // DeliveryType
      { kind: 'field', tag: 898, required: false }, // MarginRatio
      // NoUnderlyings
      {
        kind: 'group',
        countTag: 711,
        required: false,
        delimiter: 311,
        entries: [
          { kind: 'field', tag: 311, required: false }, // UnderlyingSymbol
          { kind: 'field', tag: 312, required: false }, // UnderlyingSymbolSfx
          { kind: 'field', tag: 309, required: false }, // UnderlyingSecurityID
          { kind: 'field', tag: 305, required: false }, // UnderlyingSecurityIDSource
          // NoUnderlyingSecurityAltID
          {
            kind: 'group',
            countTag: 457,
            required: false,
            delimiter: 458,
            entries: [
              { kind: 'field', tag: 458, required: false }, // UnderlyingSecurityAltID
              { kind: 'field', tag: 459, required: false }, // UnderlyingSecurityAltIDSource
            ],
          },
          { kind: 'field', tag: 462, required: false }, // UnderlyingProduct
          { kind: 'field', tag: 463, required: false }, // UnderlyingCFICode
          { kind: 'field', tag: 310, required: false }, // UnderlyingSecurityType
          { kind: 'field', tag: 763, required: false }, // UnderlyingSecuritySubType
          { kind: 'field', tag: 313, required: false }, // UnderlyingMaturityMonthYear
          { kind: 'field', tag: 542, required: false }, // UnderlyingMaturityDate
          { kind: 'field', tag: 315, required: false }, // UnderlyingPutOrCall
          { kind: 'field', tag: 241, required: false }, // UnderlyingCouponPaymentDate
          { kind: 'field', tag: 242, required: false }, // UnderlyingIssueDate
          { kind: 'field', tag: 243, required: false }, // UnderlyingRepoCollateralSecurityType
          { kind: 'field', tag: 244, required: false }, // UnderlyingRepurchaseTerm
          { kind: 'field', tag: 245, required: false }, // UnderlyingRepurchaseRate
          { kind: 'field', tag: 246, required: false }, // UnderlyingFactor
          { kind: 'field', tag: 256, required: false }, // UnderlyingCreditRating
          { kind: 'field', tag: 595, required: false }, // UnderlyingInstrRegistry
          { kind: 'field', tag: 592, required: false }, // UnderlyingCountryOfIssue
          { kind: 'field', tag: 593, required: false }, // UnderlyingStateOrProvinceOfIssue
          { kind: 'field', tag: 594, required: false }, // UnderlyingLocaleOfIssue
          { kind: 'field', tag: 247, required: false }, // UnderlyingRedemptionDate
          { kind: 'field', tag: 316, required: false }, // UnderlyingStrikePrice
          { kind: 'field', tag: 941, required: false }, // UnderlyingStrikeCurrency
          { kind: 'field', tag: 317, required: false }, // UnderlyingOptAttribute
          { kind: 'field', tag: 436, required: false }, // UnderlyingContractMultiplier
          { kind: 'field', tag: 435, required: false }, // UnderlyingCouponRate
          { kind: 'field', tag: 308, required: false }, // UnderlyingSecurityExchange
          { kind: 'field', tag: 306, required: false }, // UnderlyingIssuer
          { kind: 'field', tag: 362, required: false }, // EncodedUnderlyingIssuerLen
          { kind: 'field', tag: 363, required: false }, // EncodedUnderlyingIssuer
          { kind: 'field', tag: 307, required: false }, // UnderlyingSecurityDesc
          { kind: 'field', tag: 364, required: false }, // EncodedUnderlyingSecurityDescLen
          { kind: 'field', tag: 365, required: false }, // EncodedUnderlyingSecurityDesc
          { kind: 'field', tag: 877, required: false }, // UnderlyingCPProgram
          { kind: 'field', tag: 878, required: false }, // UnderlyingCPRegType
          { kind: 'field', tag: 318, required: false }, // UnderlyingCurrency
          { kind: 'field', tag: 879, required: false }, // UnderlyingQty
          { kind: 'field', tag: 810, required: false }, // UnderlyingPx
          { kind: 'field', tag: 882, required: false }, // UnderlyingDirtyPrice
          { kind: 'field', tag: 883, required: false }, // UnderlyingEndPrice
          { kind: 'field', tag: 884, required: false }, // UnderlyingStartValue
          { kind: 'field', tag: 885, required: false }, // UnderlyingCurrentValue
          { kind: 'field', tag: 886, required: false }, // UnderlyingEndValue
          // NoUnderlyingStips
          {
            kind: 'group',
            countTag: 887,
            required: false,
            delimiter: 888,
            entries: [
              { kind: 'field', tag: 888, required: false }, // UnderlyingStipType
              { kind: 'field', tag: 889, required: false }, // UnderlyingStipValue
            ],
          },
        ],
      },
      { kind: 'field', tag: 140, required: false }, // PrevClosePx
      { kind: 'field', tag: 54, required: true }, // Side
      { kind: 'field', tag: 114, required: false }, // LocateReqd
      { kind: 'field', tag: 60, required: true }, // TransactTime
      // NoStipulations
      {
        kind: 'group',
        countTag: 232,
        required: false,
        delimiter: 233,
        entries: [
          { kind: 'field', tag: 233, required: false }, // StipulationType
          { kind: 'field', tag: 234, required: false }, // StipulationValue
        ],
      },
      { kind: 'field', tag: 854, required: false }, // QtyType
      { kind: 'field', tag: 38, required: false }, // OrderQty
      { kind: 'field', tag: 152, required: false }, // CashOrderQty
      { kind: 'field', tag: 516, required: false }, // OrderPercent
      { kind: 'field', tag: 468, required: false }, // RoundingDirection
      { kind: 'field', tag: 469, required: false }, // RoundingModulus
      { kind: 'field', tag: 40, required: true }, // OrdType
      { kind: 'field', tag: 423, required: false }, // PriceType
      { kind: 'field', tag: 44, required: false }, // Price
      { kind: 'field', tag: 99, required: false }, // StopPx
      { kind: 'field', tag: 218, required: false }, // Spread
      { kind: 'field', tag: 220, required: false }, // BenchmarkCurveCurrency
      { kind: 'field', tag: 221, required: false }, // BenchmarkCurveName
      { kind: 'field', tag: 222, required: false }, // BenchmarkCurvePoint
      { kind: 'field', tag: 662, required: false }, // BenchmarkPrice
      { kind: 'field', tag: 663, required: false }, // BenchmarkPriceType
      { kind: 'field', tag: 699, required: false }, // BenchmarkSecurityID
      { kind: 'field', tag: 761, required: false }, // BenchmarkSecurityIDSource
      { kind: 'field', tag: 235, required: false }, // YieldType
      { kind: 'field', tag: 236, required: false }, // Yield
      { kind: 'field', tag: 701, required: false }, // YieldCalcDate
      { kind: 'field', tag: 696, required: false }, // YieldRedemptionDate
      { kind: 'field', tag: 697, required: false }, // YieldRedemptionPrice
      { kind: 'field', tag: 698, required: false }, // YieldRedemptionPriceType
      { kind: 'field', tag: 15, required: false }, // Currency
      { kind: 'field', tag: 376, required: false }, // ComplianceID
      { kind: 'field', tag: 377, required: false }, // SolicitedFlag
      { kind: 'field', tag: 23, required: false }, // IOIID
      { kind: 'field', tag: 117, required: false }, // QuoteID
      { kind: 'field', tag: 59, required: false }, // TimeInForce
      { kind: 'field', tag: 168, required: false }, // EffectiveTime
      { kind: 'field', tag: 432, required: false }, // ExpireDate
      { kind: 'field', tag: 126, required: false }, // ExpireTime
      { kind: 'field', tag: 427, required: false }, // GTBookingInst
      { kind: 'field', tag: 12, required: false }, // Commission
      { kind: 'field', tag: 13, required: false }, // CommType
      { kind: 'field', tag: 479, required: false }, // CommCurrency
      { kind: 'field', tag: 497, required: false }, // FundRenewWaiv
      { kind: 'field', tag: 528, required: false }, // OrderCapacity
      { kind: 'field', tag: 529, required: false }, // OrderRestrictions
      { kind: 'field', tag: 582, required: false }, // CustOrderCapacity
      { kind: 'field', tag: 121, required: false }, // ForexReq
      { kind: 'field', tag: 120, required: false }, // SettlCurrency
      { kind: 'field', tag: 775, required: false }, // BookingType
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
      { kind: 'field', tag: 193, required: false }, // SettlDate2
      { kind: 'field', tag: 192, required: false }, // OrderQty2
      { kind: 'field', tag: 640, required: false }, // Price2
      { kind: 'field', tag: 77, required: false }, // PositionEffect
      { kind: 'field', tag: 203, required: false }, // CoveredOrUncovered
      { kind: 'field', tag: 210, required: false }, // MaxShow
      { kind: 'field', tag: 211, required: false }, // PegOffsetValue
      { kind: 'field', tag: 835, required: false }, // PegMoveType
      { kind: 'field', tag: 836, required: false }, // PegOffsetType
      { kind: 'field', tag: 837, required: false }, // PegLimitType
      { kind: 'field', tag: 838, required: false }, // PegRoundDirection
      { kind: 'field', tag: 840, required: false }, // PegScope
      { kind: 'field', tag: 388, required: false }, // DiscretionInst
      { kind: 'field', tag: 389, required: false }, // DiscretionOffsetValue
      { kind: 'field', tag: 841, required: false }, // DiscretionMoveType
      { kind: 'field', tag: 842, required: false }, // DiscretionOffsetType
      { kind: 'field', tag: 843, required: false }, // DiscretionLimitType
      { kind: 'field', tag: 844, required: false }, // DiscretionRoundDirection
      { kind: 'field', tag: 846, required: false }, // DiscretionScope
      { kind: 'field', tag: 847, required: false }, // TargetStrategy
      { kind: 'field', tag: 848, required: false }, // TargetStrategyParameters
      { kind: 'field', tag: 849, required: false }, // ParticipationRate
      { kind: 'field', tag: 480, required: false }, // CancellationRights
      { kind: 'field', tag: 481, required: false }, // MoneyLaunderingStatus
      { kind: 'field', tag: 513, required: false }, // RegistID
      { kind: 'field', tag: 494, required: false }, // Designation
    ],
  },
  '8': {
    name: 'ExecutionReport',
    msgType: '8',
    category: 'app',
    entries: [
      { kind: 'field', tag: 37, required: true }, // OrderID
      { kind: 'field', tag: 198, required: false }, // SecondaryOrderID
      { kind: 'field', tag: 526, required: false }, // SecondaryClOrdID
      { kind: 'field', tag: 527, required: false }, // SecondaryExecID
      { kind: 'field', tag: 11, required: false }, // ClOrdID
      { kind: 'field', tag: 41, required: false }, // OrigClOrdID
      { kind: 'field', tag: 583, required: false }, // ClOrdLinkID
      { kind: 'field', tag: 693, required: false }, // QuoteRespID
      { kind: 'field', tag: 790, required: false }, // OrdStatusReqID
      { kind: 'field', tag: 584, required: false }, // MassStatusReqID
      { kind: 'field', tag: 911, required: false }, // TotNumReports
      { kind: 'field', tag: 912, required: false }, // LastRptRequested
      // NoPartyIDs
      {
        kind: 'group',
        countTag: 453,
        required: false,
        delimiter: 448,
        entries: [
          { kind: 'field', tag: 448, required: false }, // PartyID
          { kind: 'field', tag: 447, required: false }, // PartyIDSource
          { kind: 'field', tag: 452, required: false }, // PartyRole
          // NoPartySubIDs
          {
            kind: 'group',
            countTag: 802,
            required: false,
            delimiter: 523,
            entries: [
              { kind: 'field', tag: 523, required: false }, // PartySubID
              { kind: 'field', tag: 803, required: false }, // PartySubIDType
            ],
          },
        ],
      },
      { kind: 'field', tag: 229, required: false }, // TradeOriginationDate
      // NoContraBrokers
      {
        kind: 'group',
        countTag: 382,
        required: false,
        delimiter: 375,
        entries: [
          { kind: 'field', tag: 375, required: false }, // ContraBroker
          { kind: 'field', tag: 337, required: false }, // ContraTrader
          { kind: 'field', tag: 437, required: false }, // ContraTradeQty
          { kind: 'field', tag: 438, required: false }, // ContraTradeTime
          { kind: 'field', tag: 655, required: false }, // ContraLegRefID
        ],
      },
      { kind: 'field', tag: 66, required: false }, // ListID
      { kind: 'field', tag: 548, required: false }, // CrossID
      { kind: 'field', tag: 551, required: false }, // OrigCrossID
      { kind: 'field', tag: 549, required: false }, // CrossType
      { kind: 'field', tag: 17, required: true }, // ExecID
      { kind: 'field', tag: 19, required: false }, // ExecRefID
      { kind: 'field', tag: 150, required: true }, // ExecType
      { kind: 'field', tag: 39, required: true }, // OrdStatus
      { kind: 'field', tag: 636, required: false }, // WorkingIndicator
      { kind: 'field', tag: 103, required: false }, // OrdRejReason
      { kind: 'field', tag: 378, required: false }, // ExecRestatementReason
      { kind: 'field', tag: 1, required: false }, // Account
      { kind: 'field', tag: 660, required: false }, // AcctIDSource
      { kind: 'field', tag: 581, required: false }, // AccountType
      { kind: 'field', tag: 589, required: false }, // DayBookingInst
      { kind: 'field', tag: 590, required: false }, // BookingUnit
      { kind: 'field', tag: 591, required: false }, // PreallocMethod
      { kind: 'field', tag: 63, required: false }, // SettlType
      { kind: 'field', tag: 64, required: false }, // SettlDate
      { kind: 'field', tag: 544, required: false }, // CashMargin
      { kind: 'field', tag: 635, required: false }, // ClearingFeeIndicator
      { kind: 'field', tag: 55, required: true }, // Symbol
      { kind: 'field', tag: 65, required: false }, // SymbolSfx
      { kind: 'field', tag: 48, required: false }, // SecurityID
      { kind: 'field', tag: 22, required: false }, // SecurityIDSource
      // NoSecurityAltID
      {
        kind: 'group',
        countTag: 454,
        required: false,
        delimiter: 455,
        entries: [
          { kind: 'field', tag: 455, required: false }, // SecurityAltID
          { kind: 'field', tag: 456, required: false }, // SecurityAltIDSource
        ],
      },
      { kind: 'field', tag: 460, required: false }, // Product
      { kind: 'field', tag: 461, required: false }, // CFICode
      { kind: 'field', tag: 167, required: false }, // SecurityType
      { kind: 'field', tag: 762, required: false }, // SecuritySubType
      { kind: 'field', tag: 200, required: false }, // MaturityMonthYear
      { kind: 'field', tag: 541, required: false }, // MaturityDate
      { kind: 'field', tag: 201, required: false }, // PutOrCall
      { kind: 'field', tag: 224, required: false }, // CouponPaymentDate
      { kind: 'field', tag: 225, required: false }, // IssueDate
      { kind: 'field', tag: 239, required: false }, // RepoCollateralSecurityType
      { kind: 'field', tag: 226, required: false }, // RepurchaseTerm
      { kind: 'field', tag: 227, required: false }, // RepurchaseRate
      { kind: 'field', tag: 228, required: false }, // Factor
      { kind: 'field', tag: 255, required: false }, // CreditRating
      { kind: 'field', tag: 543, required: false }, // InstrRegistry
      { kind: 'field', tag: 470, required: false }, // CountryOfIssue
      { kind: 'field', tag: 471, required: false }, // StateOrProvinceOfIssue
      { kind: 'field', tag: 472, required: false }, // LocaleOfIssue
      { kind: 'field', tag: 240, required: false }, // RedemptionDate
      { kind: 'field', tag: 202, required: false }, // StrikePrice
      { kind: 'field', tag: 947, required: false }, // StrikeCurrency
      { kind: 'field', tag: 206, required: false }, // OptAttribute
      { kind: 'field', tag: 231, required: false }, // ContractMultiplier
      { kind: 'field', tag: 223, required: false }, // CouponRate
      { kind: 'field', tag: 207, required: false }, // SecurityExchange
      { kind: 'field', tag: 106, required: false }, // Issuer
      { kind: 'field', tag: 348, required: false }, // EncodedIssuerLen
      { kind: 'field', tag: 349, required: false }, // EncodedIssuer
      { kind: 'field', tag: 107, required: false }, // SecurityDesc
      { kind: 'field', tag: 350, required: false }, // EncodedSecurityDescLen
      { kind: 'field', tag: 351, required: false }, // EncodedSecurityDesc
      { kind: 'field', tag: 691, required: false }, // Pool
      { kind: 'field', tag: 667, required: false }, // ContractSettlMonth
      { kind: 'field', tag: 875, required: false }, // CPProgram
      { kind: 'field', tag: 876, required: false }, // CPRegType
      // NoEvents
      {
        kind: 'group',
        countTag: 864,
        required: false,
        delimiter: 865,
        entries: [
          { kind: 'field', tag: 865, required: false }, // EventType
          { kind: 'field', tag: 866, required: false }, // EventDate
          { kind: 'field', tag: 867, required: false }, // EventPx
          { kind: 'field', tag: 868, required: false }, // EventText
        ],
      },
      { kind: 'field', tag: 873, required: false }, // DatedDate
      { kind: 'field', tag: 874, required: false }, // InterestAccrualDate
      { kind: 'field', tag: 913, required: false }, // AgreementDesc
      { kind: 'field', tag: 914, required: false }, // AgreementID
      { kind: 'field', tag: 915, required: false }, // AgreementDate
      { kind: 'field', tag: 918, required: false }, // AgreementCurrency
      { kind: 'field', tag: 788, required: false }, // TerminationType
      { kind: 'field', tag: 916, required: false }, // StartDate
      { kind: 'field', tag: 917, required: false }, // EndDate
      { kind: 'field', tag: 919, required: false }, // DeliveryType
      { kind: 'field', tag: 898, required: false }, // MarginRatio
      // NoUnderlyings
      {
        kind: 'group',
        countTag: 711,
        required: false,
        delimiter: 311,
        entries: [
          { kind: 'field', tag: 311, required: false }, // UnderlyingSymbol
          { kind: 'field', tag: 312, required: false }, // UnderlyingSymbolSfx
          { kind: 'field', tag: 309, required: false }, // UnderlyingSecurityID
          { kind: 'field', tag: 305, required: false }, // UnderlyingSecurityIDSource
          // NoUnderlyingSecurityAltID
          {
            kind: 'group',
            countTag: 457,
            required: false,
            delimiter: 458,
            entries: [
              { kind: 'field', tag: 458, required: false }, // UnderlyingSecurityAltID
              { kind: 'field', tag: 459, required: false }, // UnderlyingSecurityAltIDSource
            ],
          },
          { kind: 'field', tag: 462, required: false }, // UnderlyingProduct
          { kind: 'field', tag: 463, required: false }, // UnderlyingCFICode
          { kind: 'field', tag: 310, required: false }, // UnderlyingSecurityType
          { kind: 'field', tag: 763, required: false }, // UnderlyingSecuritySubType
          { kind: 'field', tag: 313, required: false }, // UnderlyingMaturityMonthYear
          { kind: 'field', tag: 542, required: false }, // UnderlyingMaturityDate
          { kind: 'field', tag: 315, required: false }, // UnderlyingPutOrCall
          { kind: 'field', tag: 241, required: false }, // UnderlyingCouponPaymentDate
          { kind: 'field', tag: 242, required: false }, // UnderlyingIssueDate
          { kind: 'field', tag: 243, required: false }, // UnderlyingRepoCollateralSecurityType
          { kind: 'field', tag: 244, required: false }, // UnderlyingRepurchaseTerm
          { kind: 'field', tag: 245, required: false }, // UnderlyingRepurchaseRate
          { kind: 'field', tag: 246, required: false }, // UnderlyingFactor
          { kind: 'field', tag: 256, required: false }, // UnderlyingCreditRating
          { kind: 'field', tag: 595, required: false }, // UnderlyingInstrRegistry
          { kind: 'field', tag: 592, required: false }, // UnderlyingCountryOfIssue
          { kind: 'field', tag: 593, required: false }, // UnderlyingStateOrProvinceOfIssue
          { kind: 'field', tag: 594, required: false }, // UnderlyingLocaleOfIssue
          { kind: 'field', tag: 247, required: false }, // UnderlyingRedemptionDate
          { kind: 'field', tag: 316, required: false }, // UnderlyingStrikePrice
          { kind: 'field', tag: 941, required: false }, // UnderlyingStrikeCurrency
          { kind: 'field', tag: 317, required: false }, // UnderlyingOptAttribute
          { kind: 'field', tag: 436, required: false }, // UnderlyingContractMultiplier
          { kind: 'field', tag: 435, required: false }, // UnderlyingCouponRate
          { kind: 'field', tag: 308, required: false }, // UnderlyingSecurityExchange
          { kind: 'field', tag: 306, required: false }, // UnderlyingIssuer
          { kind: 'field', tag: 362, required: false }, // EncodedUnderlyingIssuerLen
          { kind: 'field', tag: 363, required: false }, // EncodedUnderlyingIssuer
          { kind: 'field', tag: 307, required: false }, // UnderlyingSecurityDesc
          { kind: 'field', tag: 364, required: false }, // EncodedUnderlyingSecurityDescLen
          { kind: 'field', tag: 365, required: false }, // EncodedUnderlyingSecurityDesc
          { kind: 'field', tag: 877, required: false }, // UnderlyingCPProgram
          { kind: 'field', tag: 878, required: false }, // UnderlyingCPRegType
          { kind: 'field', tag: 318, required: false }, // UnderlyingCurrency
          { kind: 'field', tag: 879, required: false }, // UnderlyingQty
          { kind: 'field', tag: 810, required: false }, // UnderlyingPx
          { kind: 'field', tag: 882, required: false }, // UnderlyingDirtyPrice
          { kind: 'field', tag: 883, required: false }, // UnderlyingEndPrice
          { kind: 'field', tag: 884, required: false }, // UnderlyingStartValue
          { kind: 'field', tag: 885, required: false }, // UnderlyingCurrentValue
          { kind: 'field', tag: 886, required: false }, // UnderlyingEndValue
          // NoUnderlyingStips
          {
            kind: 'group',
            countTag: 887,
            required: false,
            delimiter: 888,
            entries: [
              { kind: 'field', tag: 888, required: false }, // UnderlyingStipType
              { kind: 'field', tag: 889, required: false }, // UnderlyingStipValue
            ],
          },
        ],
      },
      { kind: 'field', tag: 54, required: true }, // Side
      // NoStipulations
      {
        kind: 'group',
        countTag: 232,
        required: false,
        delimiter: 233,
        entries: [
          { kind: 'field', tag: 233, required: false }, // StipulationType
          { kind: 'field', tag: 234, required: false }, // StipulationValue
        ],
      },
      { kind: 'field', tag: 854, required: false }, // QtyType
      { kind: 'field', tag: 38, required: false }, // OrderQty
      { kind: 'field', tag: 152, required: false }, // CashOrderQty
      { kind: 'field', tag: 516, required: false }, // OrderPercent
      { kind: 'field', tag: 468, required: false }, // RoundingDirection
      { kind: 'field', tag: 469, required: false }, // RoundingModulus
      { kind: 'field', tag: 40, required: false }, // OrdType
      { kind: 'field', tag: 423, required: false }, // PriceType
      { kind: 'field', tag: 44, required: false }, // Price
      { kind: 'field', tag: 99, required: false }, // StopPx
      { kind: 'field', tag: 211, required: false }, // PegOffsetValue
      { kind: 'field', tag: 835, required: false }, // PegMoveType
      { kind: 'field', tag: 836, required: false }, // PegOffsetType
      { kind: 'field', tag: 837, required: false }, // PegLimitType
      { kind: 'field', tag: 838, required: false }, // PegRoundDirection
      { kind: 'field', tag: 840, required: false }, // PegScope
      { kind: 'field', tag: 388, required: false }, // DiscretionInst
      { kind: 'field', tag: 389, required: false }, // DiscretionOffsetValue
      { kind: 'field', tag: 841, required: false }, // DiscretionMoveType
      { kind: 'field', tag: 842, required: false }, // DiscretionOffsetType
      { kind: 'field', tag: 843, required: false }, // DiscretionLimitType
      { kind: 'field', tag: 844, required: false }, // DiscretionRoundDirection
      { kind: 'field', tag: 846, required: false }, // DiscretionScope
      { kind: 'field', tag: 839, required: false }, // PeggedPrice
      { kind: 'field', tag: 845, required: false }, // DiscretionPrice
      { kind: 'field', tag: 847, required: false }, // TargetStrategy
      { kind: 'field', tag: 848, required: false }, // TargetStrategyParameters
      { kind: 'field', tag: 849, required: false }, // ParticipationRate
      { kind: 'field', tag: 850, required: false }, // TargetStrategyPerformance
      { kind: 'field', tag: 15, required: false }, // Currency
      { kind: 'field', tag: 376, required: false }, // ComplianceID
      { kind: 'field', tag: 377, required: false }, // SolicitedFlag
      { kind: 'field', tag: 59, required: false }, // TimeInForce
      { kind: 'field', tag: 168, required: false }, // EffectiveTime
      { kind: 'field', tag: 432, required: false }, // ExpireDate
      { kind: 'field', tag: 126, required: false }, // ExpireTime
      { kind: 'field', tag: 18, required: false }, // ExecInst
      { kind: 'field', tag: 528, required: false }, // OrderCapacity
      { kind: 'field', tag: 529, required: false }, // OrderRestrictions
      { kind: 'field', tag: 582, required: false }, // CustOrderCapacity
      { kind: 'field', tag: 32, required: false }, // LastQty
      { kind: 'field', tag: 652, required: false }, // UnderlyingLastQty
      { kind: 'field', tag: 31, required: false }, // LastPx
      { kind: 'field', tag: 651, required: false }, // UnderlyingLastPx
      { kind: 'field', tag: 669, required: false }, // LastParPx
      { kind: 'field', tag: 194, required: false }, // LastSpotRate
      { kind: 'field', tag: 195, required: false }, // LastForwardPoints
      { kind: 'field', tag: 30, required: false }, // LastMkt
      { kind: 'field', tag: 336, required: false }, // TradingSessionID
      { kind: 'field', tag: 625, required: false }, // TradingSessionSubID
      { kind: 'field', tag: 943, required: false }, // TimeBracket
      { kind: 'field', tag: 29, required: false }, // LastCapacity
      { kind: 'field', tag: 151, required: true }, // LeavesQty
      { kind: 'field', tag: 14, required: true }, // CumQty
      { kind: 'field', tag: 6, required: true }, // AvgPx
      { kind: 'field', tag: 424, required: false }, // DayOrderQty
      { kind: 'field', tag: 425, required: false }, // DayCumQty
      { kind: 'field', tag: 426, required: false }, // DayAvgPx
      { kind: 'field', tag: 427, required: false }, // GTBookingInst
      { kind: 'field', tag: 75, required: false }, // TradeDate
      { kind: 'field', tag: 60, required: false }, // TransactTime
      { kind: 'field', tag: 113, required: false }, // ReportToExch
      { kind: 'field', tag: 12, required: false }, // Commission
      { kind: 'field', tag: 13, required: false }, // CommType
      { kind: 'field', tag: 479, required: false }, // CommCurrency
      { kind: 'field', tag: 497, required: false }, // FundRenewWaiv
      { kind: 'field', tag: 218, required: false }, // Spread
      { kind: 'field', tag: 220, required: false }, // BenchmarkCurveCurrency
      { kind: 'field', tag: 221, required: false }, // BenchmarkCurveName
      { kind: 'field', tag: 222, required: false }, // BenchmarkCurvePoint
      { kind: 'field', tag: 662, required: false }, // BenchmarkPrice
      { kind: 'field', tag: 663, required: false }, // BenchmarkPriceType
      { kind: 'field', tag: 699, required: false }, // BenchmarkSecurityID
      { kind: 'field', tag: 761, required: false }, // BenchmarkSecurityIDSource
      { kind: 'field', tag: 235, required: false }, // YieldType
      { kind: 'field', tag: 236, required: false }, // Yield
      { kind: 'field', tag: 701, required: false }, // YieldCalcDate
      { kind: 'field', tag: 696, required: false }, // YieldRedemptionDate
      { kind: 'field', tag: 697, required: false }, // YieldRedemptionPrice
      { kind: 'field', tag: 698, required: false }, // YieldRedemptionPriceType
      { kind: 'field', tag: 381, required: false }, // GrossTradeAmt
      { kind: 'field', tag: 157, required: false }, // NumDaysInterest
      { kind: 'field', tag: 230, required: false }, // ExDate
      { kind: 'field', tag: 158, required: false }, // AccruedInterestRate
      { kind: 'field', tag: 159, required: false }, // AccruedInterestAmt
      { kind: 'field', tag: 738, required: false }, // InterestAtMaturity
      { kind: 'field', tag: 920, required: false }, // EndAccruedInterestAmt
      { kind: 'field', tag: 921, required: false }, // StartCash
      { kind: 'field', tag: 922, required: false }, // EndCash
      { kind: 'field', tag: 258, required: false }, // TradedFlatSwitch
      { kind: 'field', tag: 259, required: false }, // BasisFeatureDate
      { kind: 'field', tag: 260, required: false }, // BasisFeaturePrice
      { kind: 'field', tag: 238, required: false }, // Concession
      { kind: 'field', tag: 237, required: false }, // TotalTakedown
      { kind: 'field', tag: 118, required: false }, // NetMoney
      { kind: 'field', tag: 119, required: false }, // SettlCurrAmt
      { kind: 'field', tag: 120, required: false }, // SettlCurrency
      { kind: 'field', tag: 155, required: false }, // SettlCurrFxRate
      { kind: 'field', tag: 156, required: false }, // SettlCurrFxRateCalc
      { kind: 'field', tag: 21, required: false }, // HandlInst
      { kind: 'field', tag: 110, required: false }, // MinQty
      { kind: 'field', tag: 111, required: false }, // MaxFloor
      { kind: 'field', tag: 77, required: false }, // PositionEffect
      { kind: 'field', tag: 210, required: false }, // MaxShow
      { kind: 'field', tag: 775, required: false }, // BookingType
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
      { kind: 'field', tag: 193, required: false }, // SettlDate2
      { kind: 'field', tag: 192, required: false }, // OrderQty2
      { kind: 'field', tag: 641, required: false }, // LastForwardPoints2
      { kind: 'field', tag: 442, required: false }, // MultiLegReportingType
      { kind: 'field', tag: 480, required: false }, // CancellationRights
      { kind: 'field', tag: 481, required: false }, // MoneyLaunderingStatus
      { kind: 'field', tag: 513, required: false }, // RegistID
      { kind: 'field', tag: 494, required: false }, // Designation
      { kind: 'field', tag: 483, required: false }, // TransBkdTime
      { kind: 'field', tag: 515, required: false }, // ExecValuationPoint
      { kind: 'field', tag: 484, required: false }, // ExecPriceType
      { kind: 'field', tag: 485, required: false }, // ExecPriceAdjustment
      { kind: 'field', tag: 638, required: false }, // PriorityIndicator
      { kind: 'field', tag: 639, required: false }, // PriceImprovement
      { kind: 'field', tag: 851, required: false }, // LastLiquidityInd
      // NoContAmts
      {
        kind: 'group',
        countTag: 518,
        required: false,
        delimiter: 519,
        entries: [
          { kind: 'field', tag: 519, required: false }, // ContAmtType
          { kind: 'field', tag: 520, required: false }, // ContAmtValue
          { kind: 'field', tag: 521, required: false }, // ContAmtCurr
        ],
      },
      // NoLegs
      {
        kind: 'group',
        countTag: 555,
        required: false,
        delimiter: 600,
        entries: [
          { kind: 'field', tag: 600, required: false }, // LegSymbol
          { kind: 'field', tag: 601, required: false }, // LegSymbolSfx
          { kind: 'field', tag: 602, required: false }, // LegSecurityID
          { kind: 'field', tag: 603, required: false }, // LegSecurityIDSource
          // NoLegSecurityAltID
          {
            kind: 'group',
            countTag: 604,
            required: false,
            delimiter: 605,
            entries: [
              { kind: 'field', tag: 605, required: false }, // LegSecurityAltID
              { kind: 'field', tag: 606, required: false }, // LegSecurityAltIDSource
            ],
          },
          { kind: 'field', tag: 607, required: false }, // LegProduct
          { kind: 'field', tag: 608, required: false }, // LegCFICode
          { kind: 'field', tag: 609, required: false }, // LegSecurityType
          { kind: 'field', tag: 764, required: false }, // LegSecuritySubType
          { kind: 'field', tag: 610, required: false }, // LegMaturityMonthYear
          { kind: 'field', tag: 611, required: false }, // LegMaturityDate
          { kind: 'field', tag: 248, required: false }, // LegCouponPaymentDate
          { kind: 'field', tag: 249, required: false }, // LegIssueDate
          { kind: 'field', tag: 250, required: false }, // LegRepoCollateralSecurityType
          { kind: 'field', tag: 251, required: false }, // LegRepurchaseTerm
          { kind: 'field', tag: 252, required: false }, // LegRepurchaseRate
          { kind: 'field', tag: 253, required: false }, // LegFactor
          { kind: 'field', tag: 257, required: false }, // LegCreditRating
          { kind: 'field', tag: 599, required: false }, // LegInstrRegistry
          { kind: 'field', tag: 596, required: false }, // LegCountryOfIssue
          { kind: 'field', tag: 597, required: false }, // LegStateOrProvinceOfIssue
          { kind: 'field', tag: 598, required: false }, // LegLocaleOfIssue
          { kind: 'field', tag: 254, required: false }, // LegRedemptionDate
          { kind: 'field', tag: 612, required: false }, // LegStrikePrice
          { kind: 'field', tag: 942, required: false }, // LegStrikeCurrency
          { kind: 'field', tag: 613, required: false }, // LegOptAttribute
          { kind: 'field', tag: 614, required: false }, // LegContractMultiplier
          { kind: 'field', tag: 615, required: false }, // LegCouponRate
          { kind: 'field', tag: 616, required: false }, // LegSecurityExchange
          { kind: 'field', tag: 617, required: false }, // LegIssuer
          { kind: 'field', tag: 618, required: false }, // EncodedLegIssuerLen
          { kind: 'field', tag: 619, required: false }, // EncodedLegIssuer
          { kind: 'field', tag: 620, required: false }, // LegSecurityDesc
          { kind: 'field', tag: 621, required: false }, // EncodedLegSecurityDescLen
          { kind: 'field', tag: 622, required: false }, // EncodedLegSecurityDesc
          { kind: 'field', tag: 623, required: false }, // LegRatioQty
          { kind: 'field', tag: 624, required: false }, // LegSide
          { kind: 'field', tag: 556, required: false }, // LegCurrency
          { kind: 'field', tag: 740, required: false }, // LegPool
          { kind: 'field', tag: 739, required: false }, // LegDatedDate
          { kind: 'field', tag: 955, required: false }, // LegContractSettlMonth
          { kind: 'field', tag: 956, required: false }, // LegInterestAccrualDate
          { kind: 'field', tag: 687, required: false }, // LegQty
          { kind: 'field', tag: 690, required: false }, // LegSwapType
          // NoLegStipulations
          {
            kind: 'group',
            countTag: 683,
            required: false,
            delimiter: 688,
            entries: [
              { kind: 'field', tag: 688, required: false }, // LegStipulationType
              { kind: 'field', tag: 689, required: false }, // LegStipulationValue
            ],
          },
          { kind: 'field', tag: 564, required: false }, // LegPositionEffect
          { kind: 'field', tag: 565, required: false }, // LegCoveredOrUncovered
          // NoNestedPartyIDs
          {
            kind: 'group',
            countTag: 539,
            required: false,
            delimiter: 524,
            entries: [
              { kind: 'field', tag: 524, required: false }, // NestedPartyID
              { kind: 'field', tag: 525, required: false }, // NestedPartyIDSource
              { kind: 'field', tag: 538, required: false }, // NestedPartyRole
              // NoNestedPartySubIDs
              {
                kind: 'group',
                countTag: 804,
                required: false,
                delimiter: 545,
                entries: [
                  { kind: 'field', tag: 545, required: false }, // NestedPartySubID
                  { kind: 'field', tag: 805, required: false }, // NestedPartySubIDType
                ],
              },
            ],
          },
          { kind: 'field', tag: 654, required: false }, // LegRefID
          { kind: 'field', tag: 566, required: false }, // LegPrice
          { kind: 'field', tag: 587, required: false }, // LegSettlType
          { kind: 'field', tag: 588, required: false }, // LegSettlDate
          { kind: 'field', tag: 637, required: false }, // LegLastPx
        ],
      },
      { kind: 'field', tag: 797, required: false }, // CopyMsgIndicator
      // NoMiscFees
      {
        kind: 'group',
        countTag: 136,
        required: false,
        delimiter: 137,
        entries: [
          { kind: 'field', tag: 137, required: false }, // MiscFeeAmt
          { kind: 'field', tag: 138, required: false }, // MiscFeeCurr
          { kind: 'field', tag: 139, required: false }, // MiscFeeType
          { kind: 'field', tag: 891, required: false }, // MiscFeeBasis
        ],
      },
    ],
  },
  G: {
    name: 'OrderCancelReplaceRequest',
    msgType: 'G',
    category: 'app',
    entries: [
      { kind: 'field', tag: 37, required: false }, // OrderID
      // NoPartyIDs
      {
        kind: 'group',
        countTag: 453,
        required: false,
        delimiter: 448,
        entries: [
          { kind: 'field', tag: 448, required: false }, // PartyID
          { kind: 'field', tag: 447, required: false }, // PartyIDSource
          { kind: 'field', tag: 452, required: false }, // PartyRole
          // NoPartySubIDs
          {
            kind: 'group',
            countTag: 802,
            required: false,
            delimiter: 523,
            entries: [
              { kind: 'field', tag: 523, required: false }, // PartySubID
              { kind: 'field', tag: 803, required: false }, // PartySubIDType
            ],
          },
        ],
      },
      { kind: 'field', tag: 229, required: false }, // TradeOriginationDate
      { kind: 'field', tag: 75, required: false }, // TradeDate
      { kind: 'field', tag: 41, required: true }, // OrigClOrdID
      { kind: 'field', tag: 11, required: true }, // ClOrdID
      { kind: 'field', tag: 526, required: false }, // SecondaryClOrdID
      { kind: 'field', tag: 583, required: false }, // ClOrdLinkID
      { kind: 'field', tag: 66, required: false }, // ListID
      { kind: 'field', tag: 586, required: false }, // OrigOrdModTime
      { kind: 'field', tag: 1, required: false }, // Account
      { kind: 'field', tag: 660, required: false }, // AcctIDSource
      { kind: 'field', tag: 581, required: false }, // AccountType
      { kind: 'field', tag: 589, required: false }, // DayBookingInst
      { kind: 'field', tag: 590, required: false }, // BookingUnit
      { kind: 'field', tag: 591, required: false }, // PreallocMethod
      { kind: 'field', tag: 70, required: false }, // AllocID
      // NoAllocs
      {
        kind: 'group',
        countTag: 78,
        required: false,
        delimiter: 79,
        entries: [
          { kind: 'field', tag: 79, required: false }, // AllocAccount
          { kind: 'field', tag: 661, required: false }, // AllocAcctIDSource
          { kind: 'field', tag: 736, required: false }, // AllocSettlCurrency
          { kind: 'field', tag: 467, required: false }, // IndividualAllocID
          // NoNestedPartyIDs
          {
            kind: 'group',
            countTag: 539,
            required: false,
            delimiter: 524,
            entries: [
              { kind: 'field', tag: 524, required: false }, // NestedPartyID
              { kind: 'field', tag: 525, required: false }, // NestedPartyIDSource
              { kind: 'field', tag: 538, required: false }, // NestedPartyRole
              // NoNestedPartySubIDs
              {
                kind: 'group',
                countTag: 804,
                required: false,
                delimiter: 545,
                entries: [
                  { kind: 'field', tag: 545, required: false }, // NestedPartySubID
                  { kind: 'field', tag: 805, required: false }, // NestedPartySubIDType
                ],
              },
            ],
          },
          { kind: 'field', tag: 80, required: false }, // AllocQty
        ],
      },
      { kind: 'field', tag: 63, required: false }, // SettlType
      { kind: 'field', tag: 64, required: false }, // SettlDate
      { kind: 'field', tag: 544, required: false }, // CashMargin
      { kind: 'field', tag: 635, required: false }, // ClearingFeeIndicator
      { kind: 'field', tag: 21, required: false }, // HandlInst
      { kind: 'field', tag: 18, required: false }, // ExecInst
      { kind: 'field', tag: 110, required: false }, // MinQty
      { kind: 'field', tag: 111, required: false }, // MaxFloor
      { kind: 'field', tag: 100, required: false }, // ExDestination
      // NoTradingSessions
      {
        kind: 'group',
        countTag: 386,
        required: false,
        delimiter: 336,
        entries: [
          { kind: 'field', tag: 336, required: false }, // TradingSessionID
          { kind: 'field', tag: 625, required: false }, // TradingSessionSubID
        ],
      },
      { kind: 'field', tag: 55, required: true }, // Symbol
      { kind: 'field', tag: 65, required: false }, // SymbolSfx
      { kind: 'field', tag: 48, required: false }, // SecurityID
      { kind: 'field', tag: 22, required: false }, // SecurityIDSource
      // NoSecurityAltID
      {
        kind: 'group',
        countTag: 454,
        required: false,
        delimiter: 455,
        entries: [
          { kind: 'field', tag: 455, required: false }, // SecurityAltID
          { kind: 'field', tag: 456, required: false }, // SecurityAltIDSource
        ],
      },
      { kind: 'field', tag: 460, required: false }, // Product
      { kind: 'field', tag: 461, required: false }, // CFICode
      { kind: 'field', tag: 167, required: false }, // SecurityType
      { kind: 'field', tag: 762, required: false }, // SecuritySubType
      { kind: 'field', tag: 200, required: false }, // MaturityMonthYear
      { kind: 'field', tag: 541, required: false }, // MaturityDate
      { kind: 'field', tag: 201, required: false }, // PutOrCall
      { kind: 'field', tag: 224, required: false }, // CouponPaymentDate
      { kind: 'field', tag: 225, required: false }, // IssueDate
      { kind: 'field', tag: 239, required: false }, // RepoCollateralSecurityType
      { kind: 'field', tag: 226, required: false }, // RepurchaseTerm
      { kind: 'field', tag: 227, required: false }, // RepurchaseRate
      { kind: 'field', tag: 228, required: false }, // Factor
      { kind: 'field', tag: 255, required: false }, // CreditRating
      { kind: 'field', tag: 543, required: false }, // InstrRegistry
      { kind: 'field', tag: 470, required: false }, // CountryOfIssue
      { kind: 'field', tag: 471, required: false }, // StateOrProvinceOfIssue
      { kind: 'field', tag: 472, required: false }, // LocaleOfIssue
      { kind: 'field', tag: 240, required: false }, // RedemptionDate
      { kind: 'field', tag: 202, required: false }, // StrikePrice
      { kind: 'field', tag: 947, required: false }, // StrikeCurrency
      { kind: 'field', tag: 206, required: false }, // OptAttribute
      { kind: 'field', tag: 231, required: false }, // ContractMultiplier
      { kind: 'field', tag: 223, required: false }, // CouponRate
      { kind: 'field', tag: 207, required: false }, // SecurityExchange
      { kind: 'field', tag: 106, required: false }, // Issuer
      { kind: 'field', tag: 348, required: false }, // EncodedIssuerLen
      { kind: 'field', tag: 349, required: false }, // EncodedIssuer
      { kind: 'field', tag: 107, required: false }, // SecurityDesc
      { kind: 'field', tag: 350, required: false }, // EncodedSecurityDescLen
      { kind: 'field', tag: 351, required: false }, // EncodedSecurityDesc
      { kind: 'field', tag: 691, required: false }, // Pool
      { kind: 'field', tag: 667, required: false }, // ContractSettlMonth
      { kind: 'field', tag: 875, required: false }, // CPProgram
      { kind: 'field', tag: 876, required: false }, // CPRegType
      // NoEvents
      {
        kind: 'group',
        countTag: 864,
        required: false,
        delimiter: 865,
        entries: [
          { kind: 'field', tag: 865, required: false }, // EventType
          { kind: 'field', tag: 866, required: false }, // EventDate
          { kind: 'field', tag: 867, required: false }, // EventPx
          { kind: 'field', tag: 868, required: false }, // EventText
        ],
      },
      { kind: 'field', tag: 873, required: false }, // DatedDate
      { kind: 'field', tag: 874, required: false }, // InterestAccrualDate
      { kind: 'field', tag: 913, required: false }, // AgreementDesc
      { kind: 'field', tag: 914, required: false }, // AgreementID
      { kind: 'field', tag: 915, required: false }, // AgreementDate
      { kind: 'field', tag: 918, required: false }, // AgreementCurrency
      { kind: 'field', tag: 788, required: false }, // TerminationType
      { kind: 'field', tag: 916, required: false }, // StartDate
      { kind: 'field', tag: 917, required: false }, // EndDate
      { kind: 'field', tag: 919, required: false }, // DeliveryType
      { kind: 'field', tag: 898, required: false }, // MarginRatio
      // NoUnderlyings
      {
        kind: 'group',
        countTag: 711,
        required: false,
        delimiter: 311,
        entries: [
          { kind: 'field', tag: 311, required: false }, // UnderlyingSymbol
          { kind: 'field', tag: 312, required: false }, // UnderlyingSymbolSfx
          { kind: 'field', tag: 309, required: false }, // UnderlyingSecurityID
          { kind: 'field', tag: 305, required: false }, // UnderlyingSecurityIDSource
          // NoUnderlyingSecurityAltID
          {
            kind: 'group',
            countTag: 457,
            required: false,
            delimiter: 458,
            entries: [
              { kind: 'field', tag: 458, required: false }, // UnderlyingSecurityAltID
              { kind: 'field', tag: 459, required: false }, // UnderlyingSecurityAltIDSource
            ],
          },
          { kind: 'field', tag: 462, required: false }, // UnderlyingProduct
          { kind: 'field', tag: 463, required: false }, // UnderlyingCFICode
          { kind: 'field', tag: 310, required: false }, // UnderlyingSecurityType
          { kind: 'field', tag: 763, required: false }, // UnderlyingSecuritySubType
          { kind: 'field', tag: 313, required: false }, // UnderlyingMaturityMonthYear
          { kind: 'field', tag: 542, required: false }, // UnderlyingMaturityDate
          { kind: 'field', tag: 315, required: false }, // UnderlyingPutOrCall
          { kind: 'field', tag: 241, required: false }, // UnderlyingCouponPaymentDate
          { kind: 'field', tag: 242, required: false }, // UnderlyingIssueDate
          { kind: 'field', tag: 243, required: false }, // UnderlyingRepoCollateralSecurityType
          { kind: 'field', tag: 244, required: false }, // UnderlyingRepurchaseTerm
          { kind: 'field', tag: 245, required: false }, // UnderlyingRepurchaseRate
          { kind: 'field', tag: 246, required: false }, // UnderlyingFactor
          { kind: 'field', tag: 256, required: false }, // UnderlyingCreditRating
          { kind: 'field', tag: 595, required: false }, // UnderlyingInstrRegistry
          { kind: 'field', tag: 592, required: false }, // UnderlyingCountryOfIssue
          { kind: 'field', tag: 593, required: false }, // UnderlyingStateOrProvinceOfIssue
          { kind: 'field', tag: 594, required: false }, // UnderlyingLocaleOfIssue
          { kind: 'field', tag: 247, required: false }, // UnderlyingRedemptionDate
          { kind: 'field', tag: 316, required: false }, // UnderlyingStrikePrice
          { kind: 'field', tag: 941, required: false }, // UnderlyingStrikeCurrency
          { kind: 'field', tag: 317, required: false }, // UnderlyingOptAttribute
          { kind: 'field', tag: 436, required: false }, // UnderlyingContractMultiplier
          { kind: 'field', tag: 435, required: false }, // UnderlyingCouponRate
          { kind: 'field', tag: 308, required: false }, // UnderlyingSecurityExchange
          { kind: 'field', tag: 306, required: false }, // UnderlyingIssuer
          { kind: 'field', tag: 362, required: false }, // EncodedUnderlyingIssuerLen
          { kind: 'field', tag: 363, required: false }, // EncodedUnderlyingIssuer
          { kind: 'field', tag: 307, required: false }, // UnderlyingSecurityDesc
          { kind: 'field', tag: 364, required: false }, // EncodedUnderlyingSecurityDescLen
          { kind: 'field', tag: 365, required: false }, // EncodedUnderlyingSecurityDesc
          { kind: 'field', tag: 877, required: false }, // UnderlyingCPProgram
          { kind: 'field', tag: 878, required: false }, // UnderlyingCPRegType
          { kind: 'field', tag: 318, required: false }, // UnderlyingCurrency
          { kind: 'field', tag: 879, required: false }, // UnderlyingQty
          { kind: 'field', tag: 810, required: false }, // UnderlyingPx
          { kind: 'field', tag: 882, required: false }, // UnderlyingDirtyPrice
          { kind: 'field', tag: 883, required: false }, // UnderlyingEndPrice
          { kind: 'field', tag: 884, required: false }, // UnderlyingStartValue
          { kind: 'field', tag: 885, required: false }, // UnderlyingCurrentValue
          { kind: 'field', tag: 886, required: false }, // UnderlyingEndValue
          // NoUnderlyingStips
          {
            kind: 'group',
            countTag: 887,
            required: false,
            delimiter: 888,
            entries: [
              { kind: 'field', tag: 888, required: false }, // UnderlyingStipType
              { kind: 'field', tag: 889, required: false }, // UnderlyingStipValue
            ],
          },
        ],
      },
      { kind: 'field', tag: 54, required: true }, // Side
      { kind: 'field', tag: 60, required: true }, // TransactTime
      { kind: 'field', tag: 854, required: false }, // QtyType
      { kind: 'field', tag: 38, required: false }, // OrderQty
      { kind: 'field', tag: 152, required: false }, // CashOrderQty
      { kind: 'field', tag: 516, required: false }, // OrderPercent
      { kind: 'field', tag: 468, required: false }, // RoundingDirection
      { kind: 'field', tag: 469, required: false }, // RoundingModulus
      { kind: 'field', tag: 40, required: true }, // OrdType
      { kind: 'field', tag: 423, required: false }, // PriceType
      { kind: 'field', tag: 44, required: false }, // Price
      { kind: 'field', tag: 99, required: false }, // StopPx
      { kind: 'field', tag: 218, required: false }, // Spread
      { kind: 'field', tag: 220, required: false }, // BenchmarkCurveCurrency
      { kind: 'field', tag: 221, required: false }, // BenchmarkCurveName
      { kind: 'field', tag: 222, required: false }, // BenchmarkCurvePoint
      { kind: 'field', tag: 662, required: false }, // BenchmarkPrice
      { kind: 'field', tag: 663, required: false }, // BenchmarkPriceType
      { kind: 'field', tag: 699, required: false }, // BenchmarkSecurityID
      { kind: 'field', tag: 761, required: false }, // BenchmarkSecurityIDSource
      { kind: 'field', tag: 235, required: false }, // YieldType
      { kind: 'field', tag: 236, required: false }, // Yield
      { kind: 'field', tag: 701, required: false }, // YieldCalcDate
      { kind: 'field', tag: 696, required: false }, // YieldRedemptionDate
      { kind: 'field', tag: 697, required: false }, // YieldRedemptionPrice
      { kind: 'field', tag: 698, required: false }, // YieldRedemptionPriceType
      { kind: 'field', tag: 211, required: false }, // PegOffsetValue
      { kind: 'field', tag: 835, required: false }, // PegMoveType
      { kind: 'field', tag: 836, required: false }, // PegOffsetType
      { kind: 'field', tag: 837, required: false }, // PegLimitType
      { kind: 'field', tag: 838, required: false }, // PegRoundDirection
      { kind: 'field', tag: 840, required: false }, // PegScope
      { kind: 'field', tag: 388, required: false }, // DiscretionInst
      { kind: 'field', tag: 389, required: false }, // DiscretionOffsetValue
      { kind: 'field', tag: 841, required: false }, // DiscretionMoveType
      { kind: 'field', tag: 842, required: false }, // DiscretionOffsetType
      { kind: 'field', tag: 843, required: false }, // DiscretionLimitType
      { kind: 'field', tag: 844, required: false }, // DiscretionRoundDirection
      { kind: 'field', tag: 846, required: false }, // DiscretionScope
      { kind: 'field', tag: 847, required: false }, // TargetStrategy
      { kind: 'field', tag: 848, required: false }, // TargetStrategyParameters
      { kind: 'field', tag: 849, required: false }, // ParticipationRate
      { kind: 'field', tag: 376, required: false }, // ComplianceID
      { kind: 'field', tag: 377, required: false }, // SolicitedFlag
      { kind: 'field', tag: 15, required: false }, // Currency
      { kind: 'field', tag: 59, required: false }, // TimeInForce
      { kind: 'field', tag: 168, required: false }, // EffectiveTime
      { kind: 'field', tag: 432, required: false }, // ExpireDate
      { kind: 'field', tag: 126, required: false }, // ExpireTime
      { kind: 'field', tag: 427, required: false }, // GTBookingInst
      { kind: 'field', tag: 12, required: false }, // Commission
      { kind: 'field', tag: 13, required: false }, // CommType
      { kind: 'field', tag: 479, required: false }, // CommCurrency
      { kind: 'field', tag: 497, required: false }, // FundRenewWaiv
      { kind: 'field', tag: 528, required: false }, // OrderCapacity
      { kind: 'field', tag: 529, required: false }, // OrderRestrictions
      { kind: 'field', tag: 582, required: false }, // CustOrderCapacity
      { kind: 'field', tag: 121, required: false }, // ForexReq
      { kind: 'field', tag: 120, required: false }, // SettlCurrency
      { kind: 'field', tag: 775, required: false }, // BookingType
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
      { kind: 'field', tag: 193, required: false }, // SettlDate2
      { kind: 'field', tag: 192, required: false }, // OrderQty2
      { kind: 'field', tag: 640, required: false }, // Price2
      { kind: 'field', tag: 77, required: false }, // PositionEffect
      { kind: 'field', tag: 203, required: false }, // CoveredOrUncovered
      { kind: 'field', tag: 210, required: false }, // MaxShow
      { kind: 'field', tag: 114, required: false }, // LocateReqd
      { kind: 'field', tag: 480, required: false }, // CancellationRights
      { kind: 'field', tag: 481, required: false }, // MoneyLaunderingStatus
      { kind: 'field', tag: 513, required: false }, // RegistID
      { kind: 'field', tag: 494, required: false }, // Designation
    ],
  },
  F: {
    name: 'OrderCancelRequest',
    msgType: 'F',
    category: 'app',
    entries: [
      { kind: 'field', tag: 41, required: true }, // OrigClOrdID
      { kind: 'field', tag: 37, required: false }, // OrderID
      { kind: 'field', tag: 11, required: true }, // ClOrdID
      { kind: 'field', tag: 526, required: false }, // SecondaryClOrdID
      { kind: 'field', tag: 583, required: false }, // ClOrdLinkID
      { kind: 'field', tag: 66, required: false }, // ListID
      { kind: 'field', tag: 586, required: false }, // OrigOrdModTime
      { kind: 'field', tag: 1, required: false }, // Account
      { kind: 'field', tag: 660, required: false }, // AcctIDSource
      { kind: 'field', tag: 581, required: false }, // AccountType
      // NoPartyIDs
      {
        kind: 'group',
        countTag: 453,
        required: false,
        delimiter: 448,
        entries: [
          { kind: 'field', tag: 448, required: false }, // PartyID
          { kind: 'field', tag: 447, required: false }, // PartyIDSource
          { kind: 'field', tag: 452, required: false }, // PartyRole
          // NoPartySubIDs
          {
            kind: 'group',
            countTag: 802,
            required: false,
            delimiter: 523,
            entries: [
              { kind: 'field', tag: 523, required: false }, // PartySubID
              { kind: 'field', tag: 803, required: false }, // PartySubIDType
            ],
          },
        ],
      },
      { kind: 'field', tag: 55, required: true }, // Symbol
      { kind: 'field', tag: 65, required: false }, // SymbolSfx
      { kind: 'field', tag: 48, required: false }, // SecurityID
      { kind: 'field', tag: 22, required: false }, // SecurityIDSource
      // NoSecurityAltID
      {
        kind: 'group',
        countTag: 454,
        required: false,
        delimiter: 455,
        entries: [
          { kind: 'field', tag: 455, required: false }, // SecurityAltID
          { kind: 'field', tag: 456, required: false }, // SecurityAltIDSource
        ],
      },
      { kind: 'field', tag: 460, required: false }, // Product
      { kind: 'field', tag: 461, required: false }, // CFICode
      { kind: 'field', tag: 167, required: false }, // SecurityType
      { kind: 'field', tag: 762, required: false }, // SecuritySubType
      { kind: 'field', tag: 200, required: false }, // MaturityMonthYear
      { kind: 'field', tag: 541, required: false }, // MaturityDate
      { kind: 'field', tag: 201, required: false }, // PutOrCall
      { kind: 'field', tag: 224, required: false }, // CouponPaymentDate
      { kind: 'field', tag: 225, required: false }, // IssueDate
      { kind: 'field', tag: 239, required: false }, // RepoCollateralSecurityType
      { kind: 'field', tag: 226, required: false }, // RepurchaseTerm
      { kind: 'field', tag: 227, required: false }, // RepurchaseRate
      { kind: 'field', tag: 228, required: false }, // Factor
      { kind: 'field', tag: 255, required: false }, // CreditRating
      { kind: 'field', tag: 543, required: false }, // InstrRegistry
      { kind: 'field', tag: 470, required: false }, // CountryOfIssue
      { kind: 'field', tag: 471, required: false }, // StateOrProvinceOfIssue
      { kind: 'field', tag: 472, required: false }, // LocaleOfIssue
      { kind: 'field', tag: 240, required: false }, // RedemptionDate
      { kind: 'field', tag: 202, required: false }, // StrikePrice
      { kind: 'field', tag: 947, required: false }, // StrikeCurrency
      { kind: 'field', tag: 206, required: false }, // OptAttribute
      { kind: 'field', tag: 231, required: false }, // ContractMultiplier
      { kind: 'field', tag: 223, required: false }, // CouponRate
      { kind: 'field', tag: 207, required: false }, // SecurityExchange
      { kind: 'field', tag: 106, required: false }, // Issuer
      { kind: 'field', tag: 348, required: false }, // EncodedIssuerLen
      { kind: 'field', tag: 349, required: false }, // EncodedIssuer
      { kind: 'field', tag: 107, required: false }, // SecurityDesc
      { kind: 'field', tag: 350, required: false }, // EncodedSecurityDescLen
      { kind: 'field', tag: 351, required: false }, // EncodedSecurityDesc
      { kind: 'field', tag: 691, required: false }, // Pool
      { kind: 'field', tag: 667, required: false }, // ContractSettlMonth
      { kind: 'field', tag: 875, required: false }, // CPProgram
      { kind: 'field', tag: 876, required: false }, // CPRegType
      // NoEvents
      {
        kind: 'group',
        countTag: 864,
        required: false,
        delimiter: 865,
        entries: [
          { kind: 'field', tag: 865, required: false }, // EventType
          { kind: 'field', tag: 866, required: false }, // EventDate
          { kind: 'field', tag: 867, required: false }, // EventPx
          { kind: 'field', tag: 868, required: false }, // EventText
        ],
      },
      { kind: 'field', tag: 873, required: false }, // DatedDate
      { kind: 'field', tag: 874, required: false }, // InterestAccrualDate
      { kind: 'field', tag: 913, required: false }, // AgreementDesc
      { kind: 'field', tag: 914, required: false }, // AgreementID
      { kind: 'field', tag: 915, required: false }, // AgreementDate
      { kind: 'field', tag: 918, required: false }, // AgreementCurrency
      { kind: 'field', tag: 788, required: false }, // TerminationType
      { kind: 'field', tag: 916, required: false }, // StartDate
      { kind: 'field', tag: 917, required: false }, // EndDate
      { kind: 'field', tag: 919, required: false }, // DeliveryType
      { kind: 'field', tag: 898, required: false }, // MarginRatio
      // NoUnderlyings
      {
        kind: 'group',
        countTag: 711,
        required: false,
        delimiter: 311,
        entries: [
          { kind: 'field', tag: 311, required: false }, // UnderlyingSymbol
          { kind: 'field', tag: 312, required: false }, // UnderlyingSymbolSfx
          { kind: 'field', tag: 309, required: false }, // UnderlyingSecurityID
          { kind: 'field', tag: 305, required: false }, // UnderlyingSecurityIDSource
          // NoUnderlyingSecurityAltID
          {
            kind: 'group',
            countTag: 457,
            required: false,
            delimiter: 458,
            entries: [
              { kind: 'field', tag: 458, required: false }, // UnderlyingSecurityAltID
              { kind: 'field', tag: 459, required: false }, // UnderlyingSecurityAltIDSource
            ],
          },
          { kind: 'field', tag: 462, required: false }, // UnderlyingProduct
          { kind: 'field', tag: 463, required: false }, // UnderlyingCFICode
          { kind: 'field', tag: 310, required: false }, // UnderlyingSecurityType
          { kind: 'field', tag: 763, required: false }, // UnderlyingSecuritySubType
          { kind: 'field', tag: 313, required: false }, // UnderlyingMaturityMonthYear
          { kind: 'field', tag: 542, required: false }, // UnderlyingMaturityDate
          { kind: 'field', tag: 315, required: false }, // UnderlyingPutOrCall
          { kind: 'field', tag: 241, required: false }, // UnderlyingCouponPaymentDate
          { kind: 'field', tag: 242, required: false }, // UnderlyingIssueDate
          { kind: 'field', tag: 243, required: false }, // UnderlyingRepoCollateralSecurityType
          { kind: 'field', tag: 244, required: false }, // UnderlyingRepurchaseTerm
          { kind: 'field', tag: 245, required: false }, // UnderlyingRepurchaseRate
          { kind: 'field', tag: 246, required: false }, // UnderlyingFactor
          { kind: 'field', tag: 256, required: false }, // UnderlyingCreditRating
          { kind: 'field', tag: 595, required: false }, // UnderlyingInstrRegistry
          { kind: 'field', tag: 592, required: false }, // UnderlyingCountryOfIssue
          { kind: 'field', tag: 593, required: false }, // UnderlyingStateOrProvinceOfIssue
          { kind: 'field', tag: 594, required: false }, // UnderlyingLocaleOfIssue
          { kind: 'field', tag: 247, required: false }, // UnderlyingRedemptionDate
          { kind: 'field', tag: 316, required: false }, // UnderlyingStrikePrice
          { kind: 'field', tag: 941, required: false }, // UnderlyingStrikeCurrency
          { kind: 'field', tag: 317, required: false }, // UnderlyingOptAttribute
          { kind: 'field', tag: 436, required: false }, // UnderlyingContractMultiplier
          { kind: 'field', tag: 435, required: false }, // UnderlyingCouponRate
          { kind: 'field', tag: 308, required: false }, // UnderlyingSecurityExchange
          { kind: 'field', tag: 306, required: false }, // UnderlyingIssuer
          { kind: 'field', tag: 362, required: false }, // EncodedUnderlyingIssuerLen
          { kind: 'field', tag: 363, required: false }, // EncodedUnderlyingIssuer
          { kind: 'field', tag: 307, required: false }, // UnderlyingSecurityDesc
          { kind: 'field', tag: 364, required: false }, // EncodedUnderlyingSecurityDescLen
          { kind: 'field', tag: 365, required: false }, // EncodedUnderlyingSecurityDesc
          { kind: 'field', tag: 877, required: false }, // UnderlyingCPProgram
          { kind: 'field', tag: 878, required: false }, // UnderlyingCPRegType
          { kind: 'field', tag: 318, required: false }, // UnderlyingCurrency
          { kind: 'field', tag: 879, required: false }, // UnderlyingQty
          { kind: 'field', tag: 810, required: false }, // UnderlyingPx
          { kind: 'field', tag: 882, required: false }, // UnderlyingDirtyPrice
          { kind: 'field', tag: 883, required: false }, // UnderlyingEndPrice
          { kind: 'field', tag: 884, required: false }, // UnderlyingStartValue
          { kind: 'field', tag: 885, required: false }, // UnderlyingCurrentValue
          { kind: 'field', tag: 886, required: false }, // UnderlyingEndValue
          // NoUnderlyingStips
          {
            kind: 'group',
            countTag: 887,
            required: false,
            delimiter: 888,
            entries: [
              { kind: 'field', tag: 888, required: false }, // UnderlyingStipType
              { kind: 'field', tag: 889, required: false }, // UnderlyingStipValue
            ],
          },
        ],
      },
      { kind: 'field', tag: 54, required: true }, // Side
      { kind: 'field', tag: 60, required: true }, // TransactTime
      { kind: 'field', tag: 38, required: false }, // OrderQty
      { kind: 'field', tag: 152, required: false }, // CashOrderQty
      { kind: 'field', tag: 516, required: false }, // OrderPercent
      { kind: 'field', tag: 468, required: false }, // RoundingDirection
      { kind: 'field', tag: 469, required: false }, // RoundingModulus
      { kind: 'field', tag: 376, required: false }, // ComplianceID
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
    ],
  },
  '9': {
    name: 'OrderCancelReject',
    msgType: '9',
    category: 'app',
    entries: [
      { kind: 'field', tag: 37, required: true }, // OrderID
      { kind: 'field', tag: 198, required: false }, // SecondaryOrderID
      { kind: 'field', tag: 526, required: false }, // SecondaryClOrdID
      { kind: 'field', tag: 11, required: true }, // ClOrdID
      { kind: 'field', tag: 583, required: false }, // ClOrdLinkID
      { kind: 'field', tag: 41, required: true }, // OrigClOrdID
      { kind: 'field', tag: 39, required: true }, // OrdStatus
      { kind: 'field', tag: 636, required: false }, // WorkingIndicator
      { kind: 'field', tag: 586, required: false }, // OrigOrdModTime
      { kind: 'field', tag: 66, required: false }, // ListID
      { kind: 'field', tag: 1, required: false }, // Account
      { kind: 'field', tag: 660, required: false }, // AcctIDSource
      { kind: 'field', tag: 581, required: false }, // AccountType
      { kind: 'field', tag: 229, required: false }, // TradeOriginationDate
      { kind: 'field', tag: 75, required: false }, // TradeDate
      { kind: 'field', tag: 60, required: false }, // TransactTime
      { kind: 'field', tag: 434, required: true }, // CxlRejResponseTo
      { kind: 'field', tag: 102, required: false }, // CxlRejReason
      { kind: 'field', tag: 58, required: false }, // Text
      { kind: 'field', tag: 354, required: false }, // EncodedTextLen
      { kind: 'field', tag: 355, required: false }, // EncodedText
    ],
  },
};

/** Tags allowed anywhere in the header / trailer / each message (top level and in groups), for quick membership checks. */
export const HEADER_TAGS: ReadonlySet<number> = new Set<number>([
  8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122, 212, 213, 347, 369,
  627, 628, 629, 630,
]);
export const TRAILER_TAGS: ReadonlySet<number> = new Set<number>([93, 89, 10]);
/** By MsgType: the body's tags, header and trailer excluded. */
export const MESSAGE_TAGS: Readonly<Record<string, ReadonlySet<number>>> = {
  '0': new Set<number>([112]),
  A: new Set<number>([98, 108, 95, 96, 141, 789, 383, 384, 372, 385, 464, 553, 554]),
  '1': new Set<number>([112]),
  '2': new Set<number>([7, 16]),
  '3': new Set<number>([45, 371, 372, 373, 58, 354, 355]),
  '4': new Set<number>([123, 36]),
  '5': new Set<number>([58, 354, 355]),
  j: new Set<number>([45, 372, 379, 380, 58, 354, 355]),
  D: new Set<number>([
    11, 526, 583, 453, 448, 447, 452, 802, 523, 803, 229, 75, 1, 660, 581, 589, 590, 591, 70, 78, 79, 661, 736, 467,
    539, 524, 525, 538, 804, 545, 805, 80, 63, 64, 544, 635, 21, 18, 110, 111, 100, 386, 336, 625, 81, 55, 65, 48, 22,
    454, 455, 456, 460, 461, 167, 762, 200, 541, 201, 224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472, 240, 202,
    947, 206, 231, 223, 207, 106, 348, 349, 107, 350, 351, 691, 667, 875, 876, 864, 865, 866, 867, 868, 873, 874, 913,
    914, 915, 918, 788, 916, 917, 919, 898, 711, 311, 312, 309, 305, 457, 458, 459, 462, 463, 310, 763, 313, 542, 315,
    241, 242, 243, 244, 245, 246, 256, 595, 592, 593, 594, 247, 316, 941, 317, 436, 435, 308, 306, 362, 363, 307, 364,
    365, 877, 878, 318, 879, 810, 882, 883, 884, 885, 886, 887, 888, 889, 140, 54, 114, 60, 232, 233, 234, 854, 38, 152,
    516, 468, 469, 40, 423, 44, 99, 218, 220, 221, 222, 662, 663, 699, 761, 235, 236, 701, 696, 697, 698, 15, 376, 377,
    23, 117, 59, 168, 432, 126, 427, 12, 13, 479, 497, 528, 529, 582, 121, 120, 775, 58, 354, 355, 193, 192, 640, 77,
    203, 210, 211, 835, 836, 837, 838, 840, 388, 389, 841, 842, 843, 844, 846, 847, 848, 849, 480, 481, 513, 494,
  ]),
  '8': new Set<number>([
    37, 198, 526, 527, 11, 41, 583, 693, 790, 584, 911, 912, 453, 448, 447, 452, 802, 523, 803, 229, 382, 375, 337, 437,
    438, 655, 66, 548, 551, 549, 17, 19, 150, 39, 636, 103, 378, 1, 660, 581, 589, 590, 591, 63, 64, 544, 635, 55, 65,
    48, 22, 454, 455, 456, 460, 461, 167, 762, 200, 541, 201, 224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472,
    240, 202, 947, 206, 231, 223, 207, 106, 348, 349, 107, 350, 351, 691, 667, 875, 876, 864, 865, 866, 867, 868, 873,
    874, 913, 914, 915, 918, 788, 916, 917, 919, 898, 711, 311, 312, 309, 305, 457, 458, 459, 462, 463, 310, 763, 313,
    542, 315, 241, 242, 243, 244, 245, 246, 256, 595, 592, 593, 594, 247, 316, 941, 317, 436, 435, 308, 306, 362, 363,
    307, 364, 365, 877, 878, 318, 879, 810, 882, 883, 884, 885, 886, 887, 888, 889, 54, 232, 233, 234, 854, 38, 152,
    516, 468, 469, 40, 423, 44, 99, 211, 835, 836, 837, 838, 840, 388, 389, 841, 842, 843, 844, 846, 839, 845, 847, 848,
    849, 850, 15, 376, 377, 59, 168, 432, 126, 18, 528, 529, 582, 32, 652, 31, 651, 669, 194, 195, 30, 336, 625, 943,
    29, 151, 14, 6, 424, 425, 426, 427, 75, 60, 113, 12, 13, 479, 497, 218, 220, 221, 222, 662, 663, 699, 761, 235, 236,
    701, 696, 697, 698, 381, 157, 230, 158, 159, 738, 920, 921, 922, 258, 259, 260, 238, 237, 118, 119, 120, 155, 156,
    21, 110, 111, 77, 210, 775, 58, 354, 355, 193, 192, 641, 442, 480, 481, 513, 494, 483, 515, 484, 485, 638, 639, 851,
    518, 519, 520, 521, 555, 600, 601, 602, 603, 604, 605, 606, 607, 608, 609, 764, 610, 611, 248, 249, 250, 251, 252,
    253, 257, 599, 596, 597, 598, 254, 612, 942, 613, 614, 615, 616, 617, 618, 619, 620, 621, 622, 623, 624, 556, 740,
    739, 955, 956, 687, 690, 683, 688, 689, 564, 565, 539, 524, 525, 538, 804, 545, 805, 654, 566, 587, 588, 637, 797,
    136, 137, 138, 139, 891,
  ]),
  G: new Set<number>([
    37, 453, 448, 447, 452, 802, 523, 803, 229, 75, 41, 11, 526, 583, 66, 586, 1, 660, 581, 589, 590, 591, 70, 78, 79,
    661, 736, 467, 539, 524, 525, 538, 804, 545, 805, 80, 63, 64, 544, 635, 21, 18, 110, 111, 100, 386, 336, 625, 55,
    65, 48, 22, 454, 455, 456, 460, 461, 167, 762, 200, 541, 201, 224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472,
    240, 202, 947, 206, 231, 223, 207, 106, 348, 349, 107, 350, 351, 691, 667, 875, 876, 864, 865, 866, 867, 868, 873,
    874, 913, 914, 915, 918, 788, 916, 917, 919, 898, 711, 311, 312, 309, 305, 457, 458, 459, 462, 463, 310, 763, 313,
    542, 315, 241, 242, 243, 244, 245, 246, 256, 595, 592, 593, 594, 247, 316, 941, 317, 436, 435, 308, 306, 362, 363,
    307, 364, 365, 877, 878, 318, 879, 810, 882, 883, 884, 885, 886, 887, 888, 889, 54, 60, 854, 38, 152, 516, 468, 469,
    40, 423, 44, 99, 218, 220, 221, 222, 662, 663, 699, 761, 235, 236, 701, 696, 697, 698, 211, 835, 836, 837, 838, 840,
    388, 389, 841, 842, 843, 844, 846, 847, 848, 849, 376, 377, 15, 59, 168, 432, 126, 427, 12, 13, 479, 497, 528, 529,
    582, 121, 120, 775, 58, 354, 355, 193, 192, 640, 77, 203, 210, 114, 480, 481, 513, 494,
  ]),
  F: new Set<number>([
    41, 37, 11, 526, 583, 66, 586, 1, 660, 581, 453, 448, 447, 452, 802, 523, 803, 55, 65, 48, 22, 454, 455, 456, 460,
    461, 167, 762, 200, 541, 201, 224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472, 240, 202, 947, 206, 231, 223,
    207, 106, 348, 349, 107, 350, 351, 691, 667, 875, 876, 864, 865, 866, 867, 868, 873, 874, 913, 914, 915, 918, 788,
    916, 917, 919, 898, 711, 311, 312, 309, 305, 457, 458, 459, 462, 463, 310, 763, 313, 542, 315, 241, 242, 243, 244,
    245, 246, 256, 595, 592, 593, 594, 247, 316, 941, 317, 436, 435, 308, 306, 362, 363, 307, 364, 365, 877, 878, 318,
    879, 810, 882, 883, 884, 885, 886, 887, 888, 889, 54, 60, 38, 152, 516, 468, 469, 376, 58, 354, 355,
  ]),
  '9': new Set<number>([37, 198, 526, 11, 583, 41, 39, 636, 586, 66, 1, 660, 581, 229, 75, 60, 434, 102, 58, 354, 355]),
};
