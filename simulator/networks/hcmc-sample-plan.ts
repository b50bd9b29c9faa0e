/**
 * Hand-drawn plan of the sample network: which real routes, who runs them, and the streets they follow as a
 * few approximate waypoints between the terminals of hcmc-routes-2026.json. Coordinates are rough (read off
 * a map to ~100 m); the network is plausible, not surveyed. build-hcmc-sample.ts turns this into GTFS.
 */

/** A waypoint [lat, lon, street of the leg that ends here]; `hub` places a shared stop exactly on it. */
type Waypoint = readonly [lat: number, lon: number, street: string, hub?: string];

export interface RoutePlan {
  routeNo: string;
  agencyId: 'SGB' | 'HTX15';
  subsidised: boolean;
  /** Terminal codes (see TERMINALS); equal for a loop. */
  from: string;
  to: string;
  /** Waypoints strictly between the terminals, in direction 0. */
  via: readonly Waypoint[];
  /** Weekday headways in minutes by band. */
  headwayMin: { peak: number; midday: number; shoulder: number };
}

/** Terminal code → name in hcmc-routes-2026.json `terminals`. */
export const TERMINALS: Record<string, string> = {
  BTH: 'Bến Thành (bus hub / metro station)',
  BSG: 'Bến xe buýt Sài Gòn (Hàm Nghi / 23 tháng 9 park)',
  CLN: 'Bến xe buýt Chợ Lớn',
  MTY: 'Bến xe Miền Tây',
  MDG: 'Bến xe Miền Đông (old, Bình Thạnh)',
  TSN: 'Sân bay Tân Sơn Nhất',
  ASG: 'Bến xe An Sương',
  NTG: 'Bến xe Ngã tư Ga',
  Q8: 'Bến xe buýt Quận 8',
  BSN: 'Ga Ba Son (metro)',
};

export const AGENCIES = [
  { agencyId: 'SGB', name: 'Công ty TNHH MTV Xe khách Sài Gòn', url: 'https://saigonbus.example/' },
  { agencyId: 'HTX15', name: 'Hợp tác xã Vận tải số 15', url: 'https://htx15.example/' },
] as const;

export const SERVICE_START = '20260101';
// Far enough ahead that a checkout run years from now still finds service today.
export const SERVICE_END = '20351231';
/** National Day (Wednesday 2 September 2026): the weekday timetable gives way to the holiday one. */
export const HOLIDAY = '20260902';

export const ROUTES: readonly RoutePlan[] = [
  {
    routeNo: '01',
    agencyId: 'SGB',
    subsidised: true,
    from: 'BSN',
    to: 'CLN',
    headwayMin: { peak: 8, midday: 12, shoulder: 15 },
    via: [
      [10.771, 106.7048, 'Tôn Đức Thắng'],
      [10.7706, 106.699, 'Hàm Nghi'],
      [10.764, 106.69, 'Trần Hưng Đạo'],
      [10.7585, 106.682, 'Trần Hưng Đạo'],
      [10.7548, 106.67, 'Trần Hưng Đạo'],
      [10.753, 106.659, 'Trần Hưng Đạo'],
    ],
  },
  {
    routeNo: '04',
    agencyId: 'SGB',
    subsidised: true,
    from: 'BTH',
    to: 'ASG',
    headwayMin: { peak: 8, midday: 12, shoulder: 15 },
    via: [
      [10.779, 106.695, 'Nam Kỳ Khởi Nghĩa'],
      [10.7905, 106.684, 'Nam Kỳ Khởi Nghĩa'],
      [10.7985, 106.678, 'Nguyễn Văn Trỗi'],
      [10.8, 106.666, 'Hoàng Văn Thụ'],
      [10.801, 106.6585, 'Hoàng Văn Thụ'],
      [10.8045, 106.644, 'Cộng Hòa'],
      [10.811, 106.632, 'Cộng Hòa'],
      [10.825, 106.625, 'Trường Chinh'],
    ],
  },
  {
    routeNo: '14',
    agencyId: 'SGB',
    subsidised: true,
    from: 'MDG',
    to: 'MTY',
    headwayMin: { peak: 10, midday: 15, shoulder: 20 },
    via: [
      [10.806, 106.7125, 'Đinh Bộ Lĩnh'],
      [10.801, 106.711, 'Xô Viết Nghệ Tĩnh'],
      [10.795, 106.701, 'Điện Biên Phủ'],
      [10.785, 106.689, 'Điện Biên Phủ'],
      [10.7675, 106.6785, 'Điện Biên Phủ'],
      [10.762, 106.665, 'Hùng Vương'],
      [10.7555, 106.654, 'Hùng Vương'],
      [10.752, 106.64, 'Hồng Bàng'],
      [10.7465, 106.63, 'Kinh Dương Vương'],
    ],
  },
  {
    routeNo: '34',
    agencyId: 'HTX15',
    subsidised: true,
    from: 'BSG',
    to: 'Q8',
    headwayMin: { peak: 10, midday: 14, shoulder: 18 },
    via: [
      [10.765, 106.691, 'Trần Hưng Đạo'],
      [10.76, 106.684, 'Nguyễn Văn Cừ'],
      [10.752, 106.686, 'Nguyễn Văn Cừ'],
      [10.746, 106.682, 'Phạm Thế Hiển'],
      [10.74, 106.67, 'Phạm Thế Hiển'],
      [10.734, 106.656, 'Phạm Thế Hiển'],
      [10.728, 106.642, 'Phạm Thế Hiển'],
    ],
  },
  {
    routeNo: '103',
    agencyId: 'HTX15',
    subsidised: true,
    from: 'CLN',
    to: 'NTG',
    headwayMin: { peak: 9, midday: 13, shoulder: 17 },
    via: [
      [10.758, 106.656, 'Nguyễn Chí Thanh'],
      [10.768, 106.659, 'Lý Thường Kiệt'],
      [10.78, 106.656, 'Lý Thường Kiệt'],
      [10.793, 106.653, 'Lý Thường Kiệt'],
      [10.801, 106.6555, 'Cộng Hòa'],
      [10.825, 106.648, 'Tân Sơn'],
      [10.8387, 106.6654, 'Quang Trung'],
      [10.848, 106.672, 'Quang Trung'],
      [10.856, 106.678, 'Nguyễn Văn Lượng'],
    ],
  },
  {
    routeNo: '109',
    agencyId: 'SGB',
    subsidised: false,
    from: 'BSG',
    to: 'TSN',
    headwayMin: { peak: 12, midday: 15, shoulder: 20 },
    via: [
      [10.7745, 106.6995, 'Lê Lợi'],
      [10.7905, 106.684, 'Nam Kỳ Khởi Nghĩa'],
      [10.7985, 106.678, 'Nguyễn Văn Trỗi'],
      [10.8, 106.666, 'Hoàng Văn Thụ'],
      [10.807, 106.665, 'Trường Sơn'],
    ],
  },
  {
    // A loop: out along Trần Hưng Đạo to Chợ Lớn, back along Nguyễn Trãi past Bến Thành.
    routeNo: 'DL04',
    agencyId: 'SGB',
    subsidised: false,
    from: 'BSG',
    to: 'BSG',
    headwayMin: { peak: 15, midday: 20, shoulder: 20 },
    via: [
      [10.765, 106.691, 'Trần Hưng Đạo'],
      [10.7585, 106.682, 'Trần Hưng Đạo'],
      [10.7548, 106.67, 'Trần Hưng Đạo'],
      [10.751, 106.6515, 'Hải Thượng Lãn Ông', 'CLN'],
      [10.754, 106.656, 'Châu Văn Liêm'],
      [10.758, 106.665, 'Nguyễn Trãi'],
      [10.762, 106.678, 'Nguyễn Trãi'],
      [10.767, 106.688, 'Nguyễn Trãi'],
      [10.7716, 106.6983, 'Lê Lai', 'BTH'],
    ],
  },
];
