"""UK cities and large towns (and London boroughs), written for npt-coder.

Used by the pattern pass (a known town is reported as a place) and to correct the small pipeline's labels (a known
town is a place even where the pipeline said organisation). Names that are also common words (``Reading``,
``Bath``) or first names and surnames (``Preston``, ``Lincoln``) are in :data:`AMBIGUOUS_PLACES`: they count as
places only after a preposition of place ("in", "from", "near"...).
"""

from __future__ import annotations

__all__ = ["AMBIGUOUS_PLACES", "PLACES"]

#: Lower-case place names (some of two words).
PLACES = frozenset(
    """
    Aberdeen|Aberystwyth|Accrington|Aldershot|Altrincham|Andover|Armagh|Ashford|Ashton-under-Lyne|Aylesbury|Ayr|
    Banbury|Bangor|Barking|Barnet|Barnsley|Barnstaple|Barrow-in-Furness|Basildon|Basingstoke|Bath|Batley|Bedford|
    Belfast|Beverley|Bexley|Birkenhead|Birmingham|Blackburn|Blackpool|Bognor|Bolton|Bootle|Boston|Bournemouth|
    Bracknell|Bradford|Braintree|Brent|Brentwood|Bridgend|Bridgwater|Brighton|Bristol|Bromley|Burnley|Burton|Bury|
    Caerphilly|Cambridge|Camden|Cannock|Canterbury|Cardiff|Carlisle|Castleford|Chatham|Chelmsford|Cheltenham|Chester|
    Chesterfield|Chichester|Chorley|Clacton|Colchester|Coventry|Crawley|Crewe|Croydon|Cumbernauld|Darlington|
    Dartford|Derby|Dewsbury|Doncaster|Dover|Dudley|Dumfries|Dundee|Dunfermline|Durham|Ealing|Eastbourne|Edinburgh|
    Ellesmere|Enfield|Exeter|Falkirk|Farnborough|Folkestone|Gateshead|Gillingham|Glasgow|Gloucester|Gosport|Grantham|
    Gravesend|Grimsby|Guildford|Hackney|Halifax|Hamilton|Harlow|Harrogate|Hartlepool|Hastings|Hemel Hempstead|
    Hereford|Hertford|High Wycombe|Hinckley|Horsham|Hounslow|Hove|Huddersfield|Hull|Huntingdon|Inverness|Ipswich|
    Islington|Keighley|Kendal|Kettering|Kidderminster|Kilmarnock|Kingston|Kirkcaldy|Knowsley|Lambeth|Lancaster|
    Leamington|Leeds|Leicester|Lewisham|Lichfield|Lincoln|Lisburn|Liverpool|Livingston|Llanelli|London|Londonderry|
    Loughborough|Lowestoft|Luton|Macclesfield|Maidenhead|Maidstone|Manchester|Mansfield|Margate|Merthyr|
    Middlesbrough|Milton Keynes|Morecambe|Morley|Motherwell|Neath|Newark|Newbury|Newcastle|Newham|Newport|Newry|
    Northampton|Norwich|Nottingham|Nuneaton|Oldham|Ormskirk|Oxford|Paisley|Peterborough|Plymouth|Pontefract|Poole|
    Portsmouth|Preston|Reading|Redcar|Redditch|Reigate|Rhyl|Richmond|Rochdale|Rochester|Rotherham|Rugby|Runcorn|
    Salford|Salisbury|Scarborough|Scunthorpe|Sheffield|Shrewsbury|Slough|Solihull|Southampton|Southend|Southport|
    Southwark|Stafford|Stevenage|Stirling|Stockport|Stockton|Stoke|Stourbridge|Stratford|Sunderland|Sutton|Swansea|
    Swindon|Tamworth|Taunton|Telford|Thurrock|Torquay|Tower Hamlets|Truro|Tunbridge Wells|Wakefield|Walsall|
    Warrington|Warwick|Watford|Wellingborough|Welwyn|Westminster|Weston-super-Mare|Weymouth|Widnes|Wigan|Wimbledon|
    Winchester|Windsor|Wirral|Woking|Wolverhampton|Worcester|Worksop|Worthing|Wrexham|Yeovil|York|
    """.lower().replace("\n", "").replace(" |", "|").strip(" |").split("|")
)
PLACES = frozenset(p.strip() for p in PLACES if p.strip())

#: Lower-case places that are also common words or names.
AMBIGUOUS_PLACES = frozenset(
    """bath reading bury stoke hull derby rugby richmond kingston sutton boston hamilton lincoln chester preston
    beverley kendal""".split()
)
